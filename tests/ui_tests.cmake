sobolev_add_test(tst_runfiles SOURCES tst_runfiles.cpp LIBS sobolev_ui)
sobolev_add_test(tst_headless SOURCES tst_headless.cpp LIBS sobolev_app)
target_compile_definitions(tst_headless PRIVATE SOBOLEV_WORKBENCH_PATH="$<TARGET_FILE:sobolev-workbench>")
add_dependencies(tst_headless sobolev-workbench)
