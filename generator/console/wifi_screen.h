/* Network > Wi-Fi: the networks iwd has in range, join, disconnect; and
 * the status screen's Wi-Fi line. Everything shown is iwd's own answer,
 * read again after each change. */
#ifndef SCOUT_CONSOLE_WIFI_SCREEN_H
#define SCOUT_CONSOLE_WIFI_SCREEN_H

#include "wifi.h"

/* The status line of the last read at row y, label at column 2 and text
 * at column col; returns the next row. Nothing when iwd is not there. */
int wifi_status_draw(const struct wifi *w, int y, int col);
/* The Wi-Fi screen, until Back or Esc; host names the title bar. */
void wifi_screen(struct wifi *w, const char *host);

#endif
