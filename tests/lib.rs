//! Shared helpers for the conformance and end-to-end suites.
