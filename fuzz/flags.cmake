# Compiler flags of the fuzz build (-DESEAL_FUZZ=ON): every library is instrumented for libFuzzer
# and built with AddressSanitizer and UBSan.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 16)
  message(FATAL_ERROR "ESEAL_FUZZ needs clang 16 or later (libFuzzer, and std::expected): "
                      "-DCMAKE_CXX_COMPILER=clang++-16 (Debian 12: apt-get install clang-16 libclang-rt-16-dev)")
endif()
# Clang 16 implements what libstdc++ 12's <expected> needs (P0848) but still reports
# __cpp_concepts 201907, so the header stays empty unless told otherwise.
add_compile_options(-U__cpp_concepts -D__cpp_concepts=202002L -Wno-builtin-macro-redefined
                    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
