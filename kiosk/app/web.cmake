# bapas-web: the office server's thin main (kiosk/web is the server; issue 14).
add_executable(bapas-web ${CMAKE_CURRENT_LIST_DIR}/bapas_web.c ${CMAKE_CURRENT_LIST_DIR}/ctl_opt.c)
target_include_directories(bapas-web PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(bapas-web PRIVATE bk_web)
