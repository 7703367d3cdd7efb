// Carries the precompiled Catch2 header that every test executable reuses (REUSE_FROM):
// Catch2 2.13 is a single large header, and compiling it once instead of in every test file
// roughly halves the test build on two cores.
