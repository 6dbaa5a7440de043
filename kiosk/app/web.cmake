# bapas-web: the office server (kiosk/app/bapas_web.c; issue 14), on GNU
# libmicrohttpd. So far staff login sessions only; not yet in the .deb.
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
add_executable(bapas-web ${CMAKE_CURRENT_LIST_DIR}/bapas_web.c ${CMAKE_CURRENT_LIST_DIR}/ctl_opt.c)
target_include_directories(bapas-web PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(bapas-web PRIVATE bk_core PkgConfig::MHD PkgConfig::JANSSON)
