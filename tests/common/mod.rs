//! What the end-to-end tests of the binary share (`tests/cli.rs`, `tests/cli_gd.rs`): running it
//! with the checks every run must pass, the one-line error contract, temp files, JSON numbers.
#![allow(dead_code)] // each test crate uses its own subset

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The example data set shipped with the crate.
pub const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/example.csv");

/// Runs the binary; asserts the properties every run must have (no panic, no NaN on stdout).
pub fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-path")).args(args).output().expect("the binary runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(!stdout.contains("NaN"), "{args:?} printed NaN");
    out
}

/// Runs `args`, asserts exit `code`, an empty stdout and ONE stderr line `error: …` containing
/// every word of `words` (case-insensitive). Returns that line.
pub fn run_fails(args: &[&str], code: i32, words: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: stderr {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: printed {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stderr.lines().count(), 1, "{args:?}: not one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    for w in words {
        assert!(stderr.to_lowercase().contains(&w.to_lowercase()), "{args:?}: '{w}' missing in: {stderr}");
    }
    stderr
}

/// Writes `bytes` to a fresh file under the temp dir and returns its path.
pub fn temp_file(name: &str, bytes: &[u8]) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = format!("scaling-path-cli-{}-{}-{name}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let path: PathBuf = std::env::temp_dir().join(unique);
    std::fs::write(&path, bytes).expect("temp file written");
    path.to_string_lossy().into_owned()
}

/// A JSON array of numbers.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("an array").iter().map(|e| e.as_f64().expect("a number")).collect()
}
