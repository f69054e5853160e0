# The pet's behaviour and chat (desktop-qml/backend/pet_controller, pet_chat): a QtTest with an
# injected clock and a local HTTP responder standing in for the gateway (port 0).
# The QML side (every character in every state, PetGallery) is tests/desktop/qml/tst_pet.qml,
# run by desktop.quick (quick_tests.cmake).
find_package(Qt6 REQUIRED COMPONENTS Test Network)
add_executable(pet_controller_test ${CMAKE_CURRENT_LIST_DIR}/pet_controller_test.cc)
set_target_properties(pet_controller_test PROPERTIES AUTOMOC ON)
target_include_directories(pet_controller_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(pet_controller_test PRIVATE agentgate_desktop_backend Qt6::Test
  Qt6::Network)
add_test(NAME desktop.pet_controller COMMAND pet_controller_test)
set_tests_properties(desktop.pet_controller PROPERTIES
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen" TIMEOUT 120 LABELS desktop)
