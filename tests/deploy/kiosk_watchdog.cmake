# The watchdog protocol with the real kiosk (included when the bapas-kiosk
# target exists): under SDL's dummy driver, a script keeps it idle on its start
# screen; notify_harness plays systemd (WatchdogSec=1s) and checks READY=1,
# WATCHDOG=1 at least every 0.5 s while idle, STOPPING=1 and exit 0 on SIGTERM.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/kiosk-watchdog.ini "# empty: the defaults\n")
add_test(NAME deploy.watchdog.kiosk
         COMMAND notify_harness --watchdog-usec 1000000 --run-ms 4000 --min-pings 5
                 --ready-timeout-ms 15000
                 -- $<TARGET_FILE:bapas-kiosk> --config ${CMAKE_CURRENT_BINARY_DIR}/kiosk-watchdog.ini
                    --demo --db ${CMAKE_CURRENT_BINARY_DIR}/kiosk-watchdog.db --windowed 800x480
                    --script ${CMAKE_CURRENT_SOURCE_DIR}/kiosk_idle.script)
set_tests_properties(deploy.watchdog.kiosk PROPERTIES ENVIRONMENT "${BK_DEPLOY_ENV}" TIMEOUT 60)
