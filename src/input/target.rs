//! Ground truth for the generalization experiments: a target function `g` — one of a few named
//! shapes or a formula in `x` — training points sampled from it with seeded Gaussian noise, and
//! the test error of any fit against `g` on a test grid.
//!
//! A formula is parsed by a small recursive-descent parser into an expression tree and
//! evaluated by walking it: nothing is ever executed, text that is not a formula is refused with
//! a message naming where it stopped making sense. Grammar (whitespace ignored, at most
//! [`MAX_FORMULA`] characters and [`MAX_DEPTH`] levels of nesting):
//!
//! ```text
//! sum     := product (('+' | '-') product)*
//! product := unary (('*' | '/') unary)*
//! unary   := ('-' | '+') unary | power
//! power   := atom ('^' unary)?
//! atom    := number | 'x' | 'pi' | 'e' | name '(' sum ')' | '(' sum ')'
//! name    := sin | cos | tan | exp | log | sqrt | abs | tanh | relu | step
//! ```

use crate::input::data::Data;
use crate::input::error::{Error, Result};
use crate::path::report::Fit;
use serde::Serialize;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

/// Longest formula accepted (characters).
pub const MAX_FORMULA: usize = 200;
/// Deepest nesting accepted (parentheses, unary signs, powers).
pub const MAX_DEPTH: usize = 32;
/// The named targets, as `(name, formula)`: each is the formula it stands for.
pub const NAMED: [(&str, &str); 5] = [
    ("sine", "sin(1.5*x)"),
    ("step", "step(x) - 0.5"),
    ("abs", "abs(x) - 0.5"),
    ("kink", "relu(x - 0.3) - 0.3*x"),
    ("bump", "exp(-4*x^2)"),
];

/// The functions a formula may call.
const FUNCTIONS: [&str; 10] = ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "relu", "step"];

/// An expression tree.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Number(f64),
    X,
    Neg(Box<Expr>),
    Binary(char, Box<Expr>, Box<Expr>),
    Call(&'static str, Box<Expr>),
}

impl Expr {
    fn eval(&self, x: f64) -> f64 {
        match self {
            Expr::Number(v) => *v,
            Expr::X => x,
            Expr::Neg(e) => -e.eval(x),
            Expr::Binary(op, a, b) => {
                let (a, b) = (a.eval(x), b.eval(x));
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    '/' => a / b,
                    _ => libm::pow(a, b),
                }
            }
            Expr::Call(name, e) => {
                let v = e.eval(x);
                match *name {
                    "sin" => libm::sin(v),
                    "cos" => libm::cos(v),
                    "tan" => libm::tan(v),
                    "exp" => libm::exp(v),
                    "log" => libm::log(v),
                    "sqrt" => v.sqrt(),
                    "abs" => v.abs(),
                    "tanh" => libm::tanh(v),
                    "relu" => v.max(0.0),
                    _ => {
                        if v >= 0.0 {
                            1.0
                        } else {
                            0.0
                        }
                    }
                }
            }
        }
    }
}

/// The parser's cursor over the formula's characters.
struct Parser<'a> {
    text: &'a str,
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn fail<T>(&self, what: &str) -> Result<T> {
        let near: String = self.chars[self.at.min(self.chars.len())..].iter().take(12).collect();
        let near = if near.is_empty() { "the end".to_string() } else { format!("'{near}'") };
        Err(Error::BadTarget(format!("formula '{}': {what} at character {} (near {near})", self.text, self.at + 1)))
    }

    fn skip(&mut self) {
        while self.at < self.chars.len() && self.chars[self.at].is_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip();
        self.chars.get(self.at).copied()
    }

    fn deeper(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { self.fail(&format!("more than {MAX_DEPTH} levels of nesting")) } else { Ok(()) }
    }

    fn sum(&mut self) -> Result<Expr> {
        let mut e = self.product()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.at += 1;
            e = Expr::Binary(op, Box::new(e), Box::new(self.product()?));
        }
        Ok(e)
    }

    fn product(&mut self) -> Result<Expr> {
        let mut e = self.unary()?;
        while let Some(op @ ('*' | '/')) = self.peek() {
            self.at += 1;
            e = Expr::Binary(op, Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Expr> {
        match self.peek() {
            Some(sign @ ('-' | '+')) => {
                self.at += 1;
                self.deeper()?;
                let e = self.unary()?;
                self.depth -= 1;
                Ok(if sign == '-' { Expr::Neg(Box::new(e)) } else { e })
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr> {
        let base = self.atom()?;
        if self.peek() == Some('^') {
            self.at += 1;
            self.deeper()?;
            let exponent = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Binary('^', Box::new(base), Box::new(exponent)));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr> {
        match self.peek() {
            None => self.fail("a number, x, a function or '(' expected"),
            Some('(') => {
                self.at += 1;
                self.deeper()?;
                let e = self.sum()?;
                self.depth -= 1;
                if self.peek() != Some(')') {
                    return self.fail("')' expected");
                }
                self.at += 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.at;
                while self.at < self.chars.len() && self.chars[self.at].is_ascii_alphanumeric() {
                    self.at += 1;
                }
                let word: String = self.chars[start..self.at].iter().collect();
                match word.as_str() {
                    "x" => Ok(Expr::X),
                    "pi" => Ok(Expr::Number(std::f64::consts::PI)),
                    "e" => Ok(Expr::Number(std::f64::consts::E)),
                    _ => {
                        let Some(&name) = FUNCTIONS.iter().find(|&&f| f == word) else {
                            self.at = start;
                            return self.fail(&format!("unknown name '{word}' (known: x, pi, e, {})", FUNCTIONS.join(", ")));
                        };
                        if self.peek() != Some('(') {
                            return self.fail(&format!("'(' expected after {name}"));
                        }
                        self.at += 1;
                        self.deeper()?;
                        let arg = self.sum()?;
                        self.depth -= 1;
                        if self.peek() != Some(')') {
                            return self.fail("')' expected");
                        }
                        self.at += 1;
                        Ok(Expr::Call(name, Box::new(arg)))
                    }
                }
            }
            Some(c) => self.fail(&format!("unexpected '{c}'")),
        }
    }

    fn number(&mut self) -> Result<Expr> {
        let start = self.at;
        let digits = |p: &mut Self| {
            while p.at < p.chars.len() && p.chars[p.at].is_ascii_digit() {
                p.at += 1;
            }
        };
        digits(self);
        if self.at < self.chars.len() && self.chars[self.at] == '.' {
            self.at += 1;
            digits(self);
        }
        if self.at < self.chars.len() && (self.chars[self.at] == 'e' || self.chars[self.at] == 'E') {
            let save = self.at;
            self.at += 1;
            if self.at < self.chars.len() && (self.chars[self.at] == '+' || self.chars[self.at] == '-') {
                self.at += 1;
            }
            if self.at < self.chars.len() && self.chars[self.at].is_ascii_digit() {
                digits(self);
            } else {
                self.at = save; // `2e`: the number 2, then text the parser refuses.
            }
        }
        let text: String = self.chars[start..self.at].iter().collect();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Expr::Number(v)),
            _ => {
                self.at = start;
                self.fail(&format!("'{text}' is not a number"))
            }
        }
    }
}

/// A target function: a named shape or a parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The name it was given by (a named target's name, or `"formula"`).
    pub name: String,
    /// The formula it evaluates.
    pub formula: String,
    expr: Expr,
}

impl Target {
    /// A named target (see [`NAMED`]) or a formula in `x`.
    pub fn parse(text: &str) -> Result<Target> {
        let text = text.trim();
        if let Some((name, formula)) = NAMED.iter().find(|(n, _)| *n == text) {
            return Target::formula(formula).map(|t| Target { name: name.to_string(), ..t });
        }
        Target::formula(text)
    }

    fn formula(text: &str) -> Result<Target> {
        if text.chars().count() > MAX_FORMULA {
            let head: String = text.chars().take(40).collect();
            return Err(Error::BadTarget(format!("formula '{head}…' is longer than {MAX_FORMULA} characters")));
        }
        if text.is_empty() {
            return Err(Error::BadTarget("the target is empty: give a name (sine, step, abs, kink, bump) or a formula in x".into()));
        }
        let mut p = Parser { text, chars: text.chars().collect(), at: 0, depth: 0 };
        let expr = p.sum()?;
        if p.peek().is_some() {
            return p.fail("unexpected text after the formula");
        }
        Ok(Target { name: "formula".into(), formula: text.to_string(), expr })
    }

    /// `g(x)`.
    pub fn eval(&self, x: f64) -> f64 {
        self.expr.eval(x)
    }

    /// `n` training points: abscissas uniform on `[lo, hi]` and `y = g(x) + noise·N(0, 1)`, from
    /// a seeded xoshiro256++ (the same bits on every platform). Errors when `g` is not finite
    /// at a sampled point.
    pub fn sample(&self, n: usize, lo: f64, hi: f64, noise: f64, seed: u64) -> Result<Data> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut uniform = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut x: Vec<f64> = (0..n).map(|_| lo + (hi - lo) * uniform()).collect();
        x.sort_by(f64::total_cmp);
        let mut y = Vec::with_capacity(n);
        for &xi in &x {
            // Box–Muller from two uniforms in (0, 1].
            let (u1, u2) = (1.0 - uniform(), uniform());
            let gauss = libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2);
            let g = self.eval(xi);
            if !g.is_finite() {
                return Err(Error::BadTarget(format!("target '{}' is not finite at x = {xi}", self.formula)));
            }
            y.push(g + noise * gauss);
        }
        Data::new(x, y)
    }

    /// The root-mean-square test error of `fit` (values on `grid`) against `g` on `grid`.
    pub fn test_error(&self, grid: &[f64], fit: &[f64]) -> f64 {
        self.test_error_within(grid, fit, [f64::NEG_INFINITY, f64::INFINITY])
    }

    /// The same over the grid points within `[lo, hi]` (NaN when there are none).
    pub fn test_error_within(&self, grid: &[f64], fit: &[f64], [lo, hi]: [f64; 2]) -> f64 {
        let (mut sum, mut count) = (0.0, 0usize);
        for (&x, &f) in grid.iter().zip(fit) {
            if x >= lo && x <= hi {
                sum += (f - self.eval(x)).powi(2);
                count += 1;
            }
        }
        if count == 0 { f64::NAN } else { (sum / count as f64).sqrt() }
    }
}

/// How training points were drawn from a target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sampling {
    /// Number of points.
    pub points: usize,
    /// Standard deviation of the Gaussian noise added to `g(x)`.
    pub noise: f64,
    /// Seed of the draws.
    pub seed: u64,
    /// The interval the abscissas are drawn from, `[lo, hi]`.
    pub range: [f64; 2],
}

/// The ground truth and how every fit generalizes to it: in the CLI's JSON as `"target"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetReport {
    /// A named target's name, or `"formula"`.
    pub name: String,
    /// The formula evaluated.
    pub formula: String,
    /// How the training points were drawn (absent when the data came from a file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampling: Option<Sampling>,
    /// `g` on the fits' grid.
    pub fit: Fit,
    /// The test grid: the grid's points within this interval (where the data were drawn).
    pub test_range: [f64; 2],
    /// Per τ (or per gradient-descent run), increasing: the RMS of `f − g` over the test grid.
    pub test_errors: Vec<f64>,
    /// The kernel limit's test error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_test_error: Option<f64>,
    /// The rich limit's test error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rich_test_error: Option<f64>,
    /// `compare`: gradient descent's test error per τ, beside the path's `test_errors`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gd_test_errors: Option<Vec<f64>>,
}

impl TargetReport {
    /// The report for `fits` (each on `grid`) and the limits' fits, if any, tested on the grid
    /// points within `test_range`.
    pub fn new(
        target: &Target,
        sampling: Option<Sampling>,
        test_range: [f64; 2],
        grid: &[f64],
        fits: &[&[f64]],
        kernel: Option<&[f64]>,
        rich: Option<&[f64]>,
    ) -> TargetReport {
        let error = |f: &[f64]| target.test_error_within(grid, f, test_range);
        TargetReport {
            name: target.name.clone(),
            formula: target.formula.clone(),
            sampling,
            fit: Fit { x: grid.to_vec(), y: grid.iter().map(|&x| target.eval(x)).collect() },
            test_range,
            test_errors: fits.iter().map(|f| error(f)).collect(),
            kernel_test_error: kernel.map(error),
            rich_test_error: rich.map(error),
            gd_test_errors: None,
        }
    }
}
