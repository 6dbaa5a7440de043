# bapas-kiosk: the fullscreen touch application (kiosk/app/kiosk_main.c).
# Included by kiosk/app/CMakeLists.txt. Printing comes from bk_print.
add_executable(bapas-kiosk ${CMAKE_CURRENT_LIST_DIR}/kiosk_main.c
                           ${CMAKE_CURRENT_LIST_DIR}/kiosk_print.c
                           ${CMAKE_CURRENT_LIST_DIR}/ctl_opt.c)
target_compile_definitions(bapas-kiosk PRIVATE BK_VERSION="${PROJECT_VERSION}")
target_include_directories(bapas-kiosk PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(bapas-kiosk PRIVATE bk_ui bk_print bk_core PkgConfig::SDL2 PkgConfig::SDL2TTF)
