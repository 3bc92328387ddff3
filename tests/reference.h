/* Helpers shared by the brute-force reference tests: a seeded PRNG and
 * calendar arithmetic of their own, independent of lib/ (so that the
 * references do not share the library's date code). */
#ifndef NETREF_TEST_REFERENCE_H
#define NETREF_TEST_REFERENCE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64                                                    */

typedef struct {
  uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static inline int rng_int(rng *r, int n) {
  return (int)(rng_next(r) % (uint64_t)n);
}

/* Uniform in (0,1]. */
static inline double rng_open01(rng *r) {
  return 1.0 - (double)(rng_next(r) >> 11) * 0x1p-53;
}

static inline int rng_chance(rng *r, double p) {
  return (double)(rng_next(r) >> 11) * 0x1p-53 < p;
}

/* ------------------------------------------------------------------ */
/* Dates (proleptic Gregorian day numbers, H. Hinnant's algorithms)    */

static inline long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

static inline void civil_from_days(long z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long yy = (long)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yy + (*m <= 2));
}

static inline long parse_day(const char *s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (sscanf(s, "%4d-%2u-%2u", &y, &m, &d) != 3)
    return 0;
  return days_from_civil(y, m, d);
}

static inline void format_day(long day, char out[11]) {
  int y;
  unsigned m, d;
  civil_from_days(day, &y, &m, &d);
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100u, d % 100u);
}

/* ------------------------------------------------------------------ */
/* Random networks                                                     */

/* Into keys[n] (rows of `width` bytes): a new key of 1 to 3 letters of
 * "aBAb", unlike keys[0..n), so that byte order differs from creation
 * order and from case-insensitive order. */
static inline void random_unique_key(rng *r, char *keys, size_t width, int n) {
  static const char alpha[] = "aBAb";
  for (;;) {
    int len = 1 + rng_int(r, 3), dup = 0;
    char k[4];
    for (int c = 0; c < len; c++)
      k[c] = alpha[rng_int(r, 4)];
    k[len] = '\0';
    for (int j = 0; j < n; j++)
      dup |= strcmp(keys + (size_t)j * width, k) == 0;
    if (!dup) {
      memcpy(keys + (size_t)n * width, k, (size_t)len + 1);
      return;
    }
  }
}

/* Every pair i < j of n people, in shuffled order; returns their count. */
static inline int shuffled_pairs(rng *r, int n, int *pa, int *pb) {
  int np = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) {
      pa[np] = i;
      pb[np] = j;
      np++;
    }
  for (int i = np - 1; i > 0; i--) {
    int j = rng_int(r, i + 1), t;
    t = pa[i], pa[i] = pa[j], pa[j] = t;
    t = pb[i], pb[i] = pb[j], pb[j] = t;
  }
  return np;
}

#endif
