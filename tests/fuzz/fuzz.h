/* Shared by the fuzz targets (tests/fuzz/README.md): the libFuzzer entry
 * point, which the replay driver (replay.c) also calls, and the check
 * that turns a broken invariant into a crash libFuzzer records. */
#ifndef NETREF_FUZZ_H
#define NETREF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort(), not return: libFuzzer saves the input of an abort as a crash,
 * and the replay test fails on it. */
#define FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__,     \
              #cond);                                                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* A netref call that must succeed (the thread's last message shown). */
#define CHECK_OK(call)                                                         \
  do {                                                                         \
    int rc_ = (call);                                                          \
    FUZZ_CHECK(rc_ == NETREF_OK, "%s: %s", netref_strerror(rc_),               \
               netref_errmsg(NULL));                                           \
  } while (0)

#endif
