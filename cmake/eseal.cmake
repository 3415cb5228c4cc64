# eseal_module(NAME SOURCES ... DEPENDS ... [LABELS ...]): the library for one src/ folder and,
# when tests are built, its unit tests (every *_test.cpp in the folder), labelled `unit` and any
# LABELS given (e.g. `token` for tests that need SoftHSM2).
function(eseal_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPENDS;TEST_DEPENDS;LABELS" ${ARGN})
  add_library(eseal_${name} ${M_SOURCES})
  add_library(eseal::${name} ALIAS eseal_${name})
  target_include_directories(eseal_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(eseal_${name} PUBLIC ${M_DEPENDS})
  if(ESEAL_BUILD_TESTS)
    file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
    if(tests)
      add_executable(eseal_${name}_tests ${tests})
      target_link_libraries(eseal_${name}_tests PRIVATE eseal_${name} ${M_TEST_DEPENDS} GTest::gtest_main)
      gtest_discover_tests(eseal_${name}_tests TEST_PREFIX "${name}." PROPERTIES LABELS "unit;${M_LABELS}" DISCOVERY_TIMEOUT 60)
    endif()
  endif()
endfunction()
