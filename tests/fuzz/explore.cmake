# ctest driver for fuzz_image_explore: refresh a build-tree copy of the seed corpus, then
# fuzz into that copy for SECONDS. Any libFuzzer finding (crash, leak, UBSan, timeout,
# out-of-memory) makes it exit non-zero, and so fails the test.
#   cmake -DFUZZER=... -DSEEDS=dir -DWORK=dir -DDICT=file -DARTIFACTS=dir/ -DSECONDS=n -P explore.cmake
foreach(var FUZZER SEEDS WORK DICT ARTIFACTS SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "explore.cmake: -D${var}=... is required")
  endif()
endforeach()

# The copy keeps what earlier runs found (they speed up the next run) and takes in new seeds.
file(MAKE_DIRECTORY ${WORK})
file(COPY ${SEEDS}/ DESTINATION ${WORK})

set(args -max_total_time=${SECONDS} -max_len=262144 -rss_limit_mb=2048 -timeout=10
         -print_final_stats=1 -artifact_prefix=${ARTIFACTS})
if(EXISTS ${DICT})
  list(APPEND args -dict=${DICT})
endif()

list(JOIN args " " shown)
message(STATUS "${FUZZER} ${shown} ${WORK}")
execute_process(COMMAND ${FUZZER} ${args} ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz_image found a problem (exit ${rc}); the input is in ${ARTIFACTS}")
endif()
