/* Arrays: the one place that doubles a capacity, and the one sort that
 * keeps the first of each group of equal elements. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Resize *ptr to n elements (n > *cap). */
static int resize(void *ptr, size_t *cap, size_t n, size_t elem, int huge) {
  if (n > SIZE_MAX / elem)
    return -1;
  void **p = ptr;
  void *grown = realloc(*p, n * elem);
  if (!grown)
    return -1;
  if (huge)
    nr_advise_huge(grown, n * elem);
  *p = grown;
  *cap = n;
  return 0;
}

static int grow(void *ptr, size_t *cap, size_t need, size_t elem, int huge) {
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap : 16;
  while (n < need) {
    if (n > SIZE_MAX / 2 / elem)
      return -1;
    n *= 2;
  }
  return resize(ptr, cap, n, elem, huge);
}

int nr_grow(void *ptr, size_t *cap, size_t need, size_t elem) {
  return grow(ptr, cap, need, elem, 0);
}

int nr_grow_huge(void *ptr, size_t *cap, size_t need, size_t elem) {
  return grow(ptr, cap, need, elem, 1);
}

int nr_reserve_huge(void *ptr, size_t *cap, size_t n, size_t elem) {
  return n <= *cap ? 0 : resize(ptr, cap, n, elem, 1);
}

int nr_grow_ties(uint32_t **nbr, double **w, int32_t **day, size_t *cap,
                 size_t need) {
  if (need <= *cap)
    return 0;
  size_t c1 = *cap, c2 = *cap, c3 = *cap;
  if (nr_grow(nbr, &c1, need, sizeof **nbr) ||
      nr_grow(w, &c2, need, sizeof **w) ||
      nr_grow(day, &c3, need, sizeof **day))
    return -1;
  *cap = c1;
  return 0;
}

size_t nr_sort_unique(void *base, size_t n, size_t size,
                      int (*order)(const void *, const void *),
                      int (*same)(const void *, const void *)) {
  if (n < 2)
    return n;
  if (!same)
    same = order;
  qsort(base, n, size, order);
  char *a = base;
  size_t kept = 1;
  for (size_t i = 1; i < n; i++) {
    if (same(a + (kept - 1) * size, a + i * size) == 0)
      continue;
    if (kept != i)
      memcpy(a + kept * size, a + i * size, size);
    kept++;
  }
  return kept;
}
