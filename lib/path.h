/* Introduction paths (path.c): the workspace the query context keeps
 * for them. */
#ifndef NETREF_PATH_H
#define NETREF_PATH_H

struct nr_path_ws;

void nr_path_ws_free(struct nr_path_ws *ws);

#endif
