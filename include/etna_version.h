/*
 * libetna's version, as these headers describe it. etna_version() gives the version of the
 * library loaded at run time; the SONAME, libetna.so.ETNA_VERSION_MAJOR, changes when the ABI
 * does. Included by etna.h.
 */

#ifndef ETNA_VERSION_H
#define ETNA_VERSION_H

/* Generated from Cargo.toml's version by build.rs. Do not edit by hand. */

#define ETNA_VERSION_MAJOR 0
#define ETNA_VERSION_MINOR 1
#define ETNA_VERSION_PATCH 0
#define ETNA_VERSION "0.1.0"

/* True when these headers are version x.y.z or later: #if ETNA_VERSION_AT_LEAST(0, 2, 0) */
#define ETNA_VERSION_AT_LEAST(x, y, z) \
    (ETNA_VERSION_MAJOR > (x) || \
     (ETNA_VERSION_MAJOR == (x) && (ETNA_VERSION_MINOR > (y) || \
      (ETNA_VERSION_MINOR == (y) && ETNA_VERSION_PATCH >= (z)))))

#endif /* ETNA_VERSION_H */
