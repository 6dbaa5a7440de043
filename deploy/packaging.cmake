# deploy/packaging.cmake — install rules and the Debian package.
#
# Included at the end of the top-level CMakeLists.txt. Build the .deb with
#   deploy/build-deb.sh            (configures a clean build for /usr, builds, runs cpack)
# or by hand:
#   cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
#         -DBK_ASSETS_DIR=/usr/share/bapas-kiosk/assets -DBK_TEST_HOOKS=OFF -DBK_WERROR=OFF \
#         -DBUILD_TESTING=OFF
#   cmake --build build-pkg -j2 && (cd build-pkg && cpack -G DEB)
#
# Layout (prefix /usr):
#   /usr/bin/bapasctl, /usr/bin/bapas-kiosk (and every other bapas* program of kiosk/app)
#   /usr/sbin/bapas-restore, /usr/lib/bapas-kiosk/bapas-backup
#   /usr/share/bapas-kiosk/assets/       fonts, i18n, sounds
#   /usr/share/bapas-kiosk/pg-roles.sql  least-privilege roles for an office on PostgreSQL (psql)
#   /usr/share/bapas-kiosk/templates/    CSV import templates (db/templates) and their README.md
#   /etc/bapas-kiosk/kiosk.ini           the config (a conffile: upgrades keep local edits)
#   /var/lib/bapas-kiosk/                the database and backups/ (made by the postinst)
#   /lib/systemd/system/bapas-*.service, bapas-backup.timer
#   /usr/share/doc/bapas-kiosk/          README.md, kiosk.example.ini, copyright
# The schema migrations are embedded in the binaries (kiosk/store).
include(GNUInstallDirs)

set(BK_PKG "bapas-kiosk")
set(BK_DEPLOY_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(BK_DEB_RELEASE "1" CACHE STRING "Debian revision of the package (the -N in VERSION-N)")
set(BK_DEB_VERSION "${PROJECT_VERSION}-${BK_DEB_RELEASE}")
set(BK_DEB_MAINTAINER "Bapas Kiosk maintainers <bapas-kiosk@localhost>"
    CACHE STRING "Maintainer field of the .deb")

# /etc and /var for prefix /usr (GNUInstallDirs maps those two specially).
set(BK_ETC_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/${BK_PKG}")
set(BK_STATE_DIR "${CMAKE_INSTALL_FULL_LOCALSTATEDIR}/lib/${BK_PKG}")
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(_bk_unitdir "/lib/systemd/system")
else()
  set(_bk_unitdir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()
set(BK_SYSTEMD_UNITDIR "${_bk_unitdir}" CACHE PATH "Where the systemd units are installed")
set(BK_INSTALLED_ASSETS "${CMAKE_INSTALL_FULL_DATADIR}/${BK_PKG}/assets")

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(VERBOSE "packaging: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; "
                 "the .deb needs -DCMAKE_INSTALL_PREFIX=/usr (deploy/build-deb.sh sets it)")
endif()
if(NOT BK_ASSETS_DIR STREQUAL BK_INSTALLED_ASSETS)
  message(VERBOSE "packaging: binaries look for assets first in ${BK_ASSETS_DIR}; "
                 "for the .deb use -DBK_ASSETS_DIR=${BK_INSTALLED_ASSETS}")
endif()

# ---- programs ------------------------------------------------------------
# Every executable of kiosk/app named bapas* (bapasctl now; bapas-kiosk, which
# also runs the board with --mode board, once it exists).
get_property(_bk_app_targets DIRECTORY "${CMAKE_SOURCE_DIR}/kiosk/app" PROPERTY BUILDSYSTEM_TARGETS)
set(BK_INSTALLED_PROGRAMS "")
foreach(_t ${_bk_app_targets})
  get_target_property(_type ${_t} TYPE)
  if(_type STREQUAL "EXECUTABLE" AND _t MATCHES "^bapas")
    install(TARGETS ${_t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    list(APPEND BK_INSTALLED_PROGRAMS ${_t})
  endif()
endforeach()
foreach(_t bapasctl bapas-kiosk)
  if(TARGET ${_t} AND NOT _t IN_LIST BK_INSTALLED_PROGRAMS)
    install(TARGETS ${_t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    list(APPEND BK_INSTALLED_PROGRAMS ${_t})
  endif()
endforeach()
message(VERBOSE "packaging: programs installed: ${BK_INSTALLED_PROGRAMS}")

install(PROGRAMS "${BK_DEPLOY_DIR}/bapas-backup.sh"
        DESTINATION "lib/${BK_PKG}" RENAME bapas-backup)
install(PROGRAMS "${BK_DEPLOY_DIR}/bapas-restore.sh"
        DESTINATION ${CMAKE_INSTALL_SBINDIR} RENAME bapas-restore)

# ---- data ----------------------------------------------------------------
install(DIRECTORY "${CMAKE_SOURCE_DIR}/assets/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/${BK_PKG}/assets"
        PATTERN "*.py" EXCLUDE
        PATTERN "*.tmp" EXCLUDE)

# Run by the IT person with psql on the database server (deploy/README.md, 18).
install(FILES "${BK_DEPLOY_DIR}/pg-roles.sql" DESTINATION "${CMAKE_INSTALL_DATADIR}/${BK_PKG}")
install(FILES "${BK_DEPLOY_DIR}/kiosk.example.ini" DESTINATION "${BK_ETC_DIR}" RENAME kiosk.ini)
install(DIRECTORY DESTINATION "${BK_STATE_DIR}")
# The CSV import templates (officers, clients; empty and with example rows)
# and their guide, for `bapasctl import` (deploy/README.md, 3).
install(FILES "${CMAKE_SOURCE_DIR}/db/templates/officers.csv" "${CMAKE_SOURCE_DIR}/db/templates/clients.csv"
              "${CMAKE_SOURCE_DIR}/db/templates/officers.example.csv"
              "${CMAKE_SOURCE_DIR}/db/templates/clients.example.csv"
              "${CMAKE_SOURCE_DIR}/db/templates/holidays-2026-2027.csv"
              "${CMAKE_SOURCE_DIR}/db/templates/README.md"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/${BK_PKG}/templates")

file(GLOB BK_UNITS "${BK_DEPLOY_DIR}/systemd/*.service" "${BK_DEPLOY_DIR}/systemd/*.timer")
install(FILES ${BK_UNITS} DESTINATION "${BK_SYSTEMD_UNITDIR}")

install(FILES "${BK_DEPLOY_DIR}/README.md" "${BK_DEPLOY_DIR}/kiosk.example.ini"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${BK_PKG}")
if(EXISTS "${CMAKE_SOURCE_DIR}/LICENSE")
  install(FILES "${CMAKE_SOURCE_DIR}/LICENSE"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${BK_PKG}" RENAME copyright)
endif()

# ---- Debian maintainer scripts and conffiles -------------------------------
set(BK_DEB_CONTROL_DIR "${CMAKE_BINARY_DIR}/deb-control")
foreach(_s preinst postinst prerm postrm config)
  configure_file("${BK_DEPLOY_DIR}/debian/${_s}.in" "${BK_DEB_CONTROL_DIR}/${_s}" @ONLY)
endforeach()
# The machine's role (kiosk, board, server, staff): a debconf question asked
# by config, applied by the postinst (deploy/README.md, 2).
configure_file("${BK_DEPLOY_DIR}/debian/templates" "${BK_DEB_CONTROL_DIR}/templates" COPYONLY)
file(WRITE "${BK_DEB_CONTROL_DIR}/conffiles" "${BK_ETC_DIR}/kiosk.ini\n")

# ---- CPack ----------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "${BK_PKG}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${BK_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "touch check-in kiosk and queue for Bapas probation offices")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/packages")

set(CPACK_DEBIAN_PACKAGE_NAME "${BK_PKG}")
set(CPACK_DEBIAN_PACKAGE_RELEASE "${BK_DEB_RELEASE}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BK_DEB_MAINTAINER}")
# The synopsis line is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the long text.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Clients of an Indonesian probation office (Bapas) check in at a touch screen
with their client number and birth date, pick the purpose of the visit and get
a ticket for their own probation officer. A lobby board shows the calls; the
bapasctl tool runs the queue from the command line. Runs straight on the
console of a Debian 12 PC or a Raspberry Pi (SDL KMSDRM), restarted by
systemd after a crash or a hung screen, with nightly database backups.")
# Library packages come from dpkg-shlibdeps; the maintainer scripts need adduser.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# debconf asks the machine's role. libegl1, libgles2 and libgbm1: SDL loads
# EGL/GLES at run time (dlopen) for its KMSDRM driver, so dpkg-shlibdeps does
# not see them; without them the screen stays black. libgl1-mesa-dri holds
# Mesa's drivers (vc4/v3d on a Raspberry Pi, i915/amdgpu... on a PC): a
# Recommends, as a server or a staff PC needs no screen driver.
# Linked libraries come from dpkg-shlibdeps with their versions and are not
# named here again (they were listed twice): among them libargon2-1 (staff
# passwords are hashed with a vetted Argon2id instead of our own),
# libmicrohttpd12 (bapas-web, the office server, on a maintained HTTP
# library, which brings libgnutls30 for its HTTPS); tests/deploy/test_package.sh checks
# that they are in Depends once.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, debconf (>= 0.5) | debconf-2.0, libegl1, libgles2, libgbm1")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libgl1-mesa-dri")
# postgresql-client: pg_dump/pg_restore, which `bapasctl backup` runs when the
# database is a PostgreSQL server. A Suggests, not a Recommends, so a
# one-machine SQLite install does not pull it in.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cage, cups, sqlite3, postgresql-client")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${BK_DEB_CONTROL_DIR}/preinst;${BK_DEB_CONTROL_DIR}/postinst;${BK_DEB_CONTROL_DIR}/prerm;${BK_DEB_CONTROL_DIR}/postrm;${BK_DEB_CONTROL_DIR}/config;${BK_DEB_CONTROL_DIR}/templates;${BK_DEB_CONTROL_DIR}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
