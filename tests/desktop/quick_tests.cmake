# Qt Quick Test: every tests/desktop/qml/tst_*.qml, run by one runner that links the app's QML
# modules statically (like agentgate-desktop) on the offscreen platform.
find_package(Qt6 REQUIRED COMPONENTS QuickTest)
add_executable(agentgate_desktop_quick_test ${CMAKE_CURRENT_LIST_DIR}/quick_test_main.cc)
set_target_properties(agentgate_desktop_quick_test PROPERTIES AUTOMOC ON)
target_include_directories(agentgate_desktop_quick_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(agentgate_desktop_quick_test PRIVATE Qt6::QuickTest Qt6::Quick
  agentgate_desktop_backendplugin agentgate_desktop_uiplugin)
add_test(NAME desktop.quick
  COMMAND agentgate_desktop_quick_test -input ${CMAKE_CURRENT_LIST_DIR}/qml)
set_tests_properties(desktop.quick PROPERTIES
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_QUICK_BACKEND=software"
  # A QML warning fails the run: the runner treats them as failures with this on.
  FAIL_REGULAR_EXPRESSION "QWARN|qml: .*Error|ReferenceError|TypeError"
  TIMEOUT 300 LABELS desktop)

# The screenshot run: every page in both themes and languages, every pet in every state,
# against a running stack, under Xvfb; fails on any QML warning.
add_test(NAME desktop.screenshots
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/screenshots.sh $<TARGET_FILE_DIR:agentgatectl>
          ${CMAKE_CURRENT_BINARY_DIR}/screenshots)
set_tests_properties(desktop.screenshots PROPERTIES TIMEOUT 600 LABELS desktop)
