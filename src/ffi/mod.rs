//! C layer
