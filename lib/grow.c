/* Growable arrays: the one place that doubles a capacity. */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

int nr_grow(void *ptr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap : 16;
  while (n < need) {
    if (n > SIZE_MAX / 2 / elem)
      return -1;
    n *= 2;
  }
  void **p = ptr;
  void *grown = realloc(*p, n * elem);
  if (!grown)
    return -1;
  *p = grown;
  *cap = n;
  return 0;
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
