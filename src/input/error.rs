//! One error type for the whole crate. Every variant carries the offending value so that the
//! message names the problem; the CLI prints it on one line, the browser shows it as is.

use thiserror::Error;

/// The messages about the data as templates, `{name}` standing for a value: one home for texts
/// that the lab's own checks show too (`www/js/state/validate.js` answers while the user types,
/// without a round trip to the solver's worker; `tests/limits_js.rs` generates these into
/// `www/js/state/limits.js`). Points are numbered from 1, as lines are.
pub const DATA_MESSAGES: [(&str, &str); 9] = [
    ("emptyData", "the data set is empty: give at least one point (x, y)"),
    ("tooManyPoints", "{n} data points is more than the supported maximum of {max}"),
    ("nonFinite", "data point {point} has a non-finite value ({x}, {y})"),
    (
        "infeasible",
        "points {first} and {second} have the same x = {x} but different y ({y1} vs {y2}): no function \
         interpolates them at λ = 0; with λ > 0 they are fitted in the least-squares sense",
    ),
    ("badLine", "data line {line}: {reason}"),
    ("header", "expected the header 'x,y', found '{found}'"),
    ("cellCount", "expected 2 values 'x,y', found {count} in '{found}'"),
    ("notANumber", "{what} = '{cell}' is not a number"),
    ("notFinite", "{what} = {cell} is not finite"),
];

/// The data message `key` of [`DATA_MESSAGES`] with each `{name}` replaced by its value, in
/// one pass (a value is never scanned for placeholders: user text stays as it is).
pub fn data_message(key: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let template = DATA_MESSAGES.iter().find(|(k, _)| *k == key).map_or("", |(_, t)| t);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').filter(|&c| after[..c].chars().all(|ch| ch.is_ascii_alphanumeric()));
        match close.and_then(|c| values.iter().find(|(name, _)| *name == &after[..c]).map(|(_, v)| (c, v))) {
            Some((c, value)) => {
                out.push_str(&value.to_string());
                rest = &after[c + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Everything that can go wrong between the user's input and a certified solution.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// The data file could not be read at all.
    #[error("cannot read data file {path}: {reason}")]
    Unreadable { path: String, reason: String },
    /// The data is not text (binary, or not UTF-8).
    #[error("data file {0} is not a text file (CSV with header x,y or JSON {{\"x\":[…],\"y\":[…]}})")]
    NotText(String),
    /// No data points.
    #[error("{}", data_message("emptyData", &[]))]
    EmptyData,
    /// A malformed line or value in the data, with its 1-based line number.
    #[error("{}", data_message("badLine", &[("line", .line), ("reason", .reason)]))]
    BadLine { line: usize, reason: String },
    /// Malformed JSON data.
    #[error("data JSON: {0}")]
    BadJson(String),
    /// `x` and `y` have different lengths.
    #[error("data has {nx} x values but {ny} y values")]
    LengthMismatch { nx: usize, ny: usize },
    /// A NaN or infinite coordinate of point `point` (numbered from 1).
    #[error("{}", data_message("nonFinite", &[("point", .point), ("x", .x), ("y", .y)]))]
    NonFinite { point: usize, x: f64, y: f64 },
    /// Two points with the same x and different y cannot be interpolated.
    /// (Points numbered from 1.)
    #[error("{}", data_message("infeasible", &[("first", .first), ("second", .second), ("x", .x), ("y1", .y1), ("y2", .y2)]))]
    Infeasible { first: usize, second: usize, x: f64, y1: f64, y2: f64 },
    /// Inputs in the plane: two points at the same place with different labels (numbered from 1).
    #[error("points {first} and {second} are both at ({x1}, {x2}) but have different labels ({y1} vs {y2}): no function interpolates them; remove one")]
    CoincidentPoints { first: usize, second: usize, x1: f64, x2: f64, y1: f64, y2: f64 },
    /// Inputs of two dimensions in one data set (JSON `x` mixing numbers and pairs).
    #[error("data point {point} has {found} input coordinate(s) but point 1 has {expected}: every point needs the same number (x, or x1 and x2)")]
    MixedDimensions { point: usize, found: usize, expected: usize },
    /// Too many data points for the exact solver.
    #[error("{}", data_message("tooManyPoints", &[("n", .n), ("max", .max)]))]
    TooManyPoints { n: usize, max: usize },
    /// τ must be a positive finite number.
    #[error("tau must be a positive finite number, got {0}")]
    BadTau(f64),
    /// A time budget per τ outside `(0, MAX_BUDGET_SECONDS]`.
    #[error("the time budget per tau must be more than 0 and at most {max} seconds, got {0}", max = crate::input::params::MAX_BUDGET_SECONDS)]
    BadBudget(f64),
    /// λ must be a nonnegative finite number.
    #[error("lambda must be a nonnegative finite number, got {0}")]
    BadLambda(f64),
    /// A count (directions, width, grid points, τ count) outside its range.
    #[error("{name} must be between {min} and {max}, got {value}")]
    OutOfRange { name: &'static str, value: String, min: String, max: String },
    /// An unknown initial law.
    #[error("unknown initial law '{0}': expected gaussian, sphere, balanced or uniform-kinks")]
    UnknownLaw(String),
    /// A symmetric finite-width initialization pairs neurons, so the width must be even.
    #[error("a symmetrized initialization of width {0} is impossible: the width must be even (or use --asymmetric)")]
    OddSymmetricWidth(usize),
    /// A plotting grid that is not an interval.
    #[error("grid {min}:{max}:{count} is invalid: need finite min < max and count >= 2")]
    BadGrid { min: f64, max: f64, count: usize },
    /// The solver could not certify a solution (reported, never hidden).
    #[error("tau = {tau}: the solver did not reach the required accuracy (relative gap {rel_gap:e}, residual {residual:e})")]
    NotCertified { tau: f64, rel_gap: f64, residual: f64 },
    /// A command-line usage error.
    #[error("{0}")]
    Usage(String),
    /// A target function that cannot be used (unknown name, a formula that does not parse, a
    /// value that is not finite); the message says where.
    #[error("{0}")]
    BadTarget(String),
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
