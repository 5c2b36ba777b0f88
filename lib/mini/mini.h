/* Freestanding C support for servers, drivers and native programs. */
#ifndef LIB_MINI_H
#define LIB_MINI_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy(char *d, const char *s, size_t n);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* printf writes to the kernel console (KC_PRINT). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
