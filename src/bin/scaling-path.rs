//! `scaling-path`: the command line of the scaling-path solver (MATH §4–§7) and of gradient
//! descent from the same neurons (MATH §3).
//!
//! A thin layer: it turns text into numbers, hands a [`PathParams`] (or, for `gd`, a
//! [`GdParams`]) to the library's one validation path ([`PathParams::check`]), runs
//! [`scaling_path::solve_path`] (or [`gd::optimization_path`]) and prints JSON (`path`, schema
//! in `scaling_path::report`; `gd`, schema in `scaling_path::gd`) or a table (`summary`) on
//! stdout. Messages go to stderr on one line each. Exit codes: 0 success, 1
//! data/parameter/solver error, 2 usage error.

use scaling_path::Error;
use scaling_path::data::Data;
use scaling_path::gd::{self, DEFAULT_MAX_STEPS, GdParams, GdReport, MAX_STEPS, Progress};
use scaling_path::init::{Law, Width};
use scaling_path::params::{self, Grid, MAX_DIRECTIONS, MAX_GRID, MAX_POINTS, MAX_TAUS, MAX_WIDTH, PathParams};
use scaling_path::report::{PathReport, TauReport};
use scaling_path::target::{Sampling, Target, TargetReport};
use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Write};

/// Options that take a value (`--name value` or `--name=value`).
const VALUE_OPTIONS: [&str; 15] = [
    "data", "tau", "tau-range", "lambda", "law", "directions", "width", "seed", "grid", "max-steps",
    "target", "points", "noise", "target-seed", "target-range",
];
/// Options without a value.
const SWITCHES: [&str; 2] = ["asymmetric", "exact"];

/// What the run prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Command {
    /// The whole path as one JSON object.
    Path,
    /// A human-readable table, one line per τ.
    Summary,
}

/// What the command line asks for.
enum Request {
    /// Print the help text.
    Help,
    /// Solve the path on `data` with the (unchecked) `params` and print it as `command` says.
    Run { command: Command, data: Source, params: PathParams, exact: bool },
    /// Run gradient descent on `data` with the (unchecked) `params` and print it.
    Gd { data: Source, params: GdParams },
    /// Solve the path from the same neurons, run gradient descent, print both and their comparison.
    Compare { data: Source, params: GdParams },
}

/// Where the data come from, and the ground truth to test the fits against.
struct Source {
    /// `--data FILE`, or none: then the points are sampled from the target.
    file: Option<String>,
    /// `--target` with its sampling.
    target: Option<(Target, Sampling)>,
}

impl Source {
    /// The data: read from the file, or sampled from the target.
    fn load(&self) -> Result<Data, Failure> {
        match (&self.file, &self.target) {
            (Some(path), _) => {
                let bytes = std::fs::read(path).map_err(|e| Error::Unreadable { path: path.to_string(), reason: e.to_string() })?;
                Ok(Data::parse_bytes(&bytes, path)?)
            }
            (None, Some((target, s))) => Ok(target.sample(s.points, s.range[0], s.range[1], s.noise, s.seed)?),
            (None, None) => Err(usage("missing --data FILE (or --target NAME|FORMULA to sample the data from)")),
        }
    }

    /// The target's report for `fits` on `grid` (none without a target): the test errors over
    /// the grid points within the sampling range, or within the data's range for a file.
    fn report(&self, data: &Data, grid: &[f64], fits: &[&[f64]], kernel: Option<&[f64]>, rich: Option<&[f64]>) -> Option<TargetReport> {
        let (target, sampling) = self.target.as_ref()?;
        let (sampling, range) = match self.file {
            Some(_) => (None, [data.x.iter().copied().fold(f64::INFINITY, f64::min), data.x.iter().copied().fold(f64::NEG_INFINITY, f64::max)]),
            None => (Some(*sampling), sampling.range),
        };
        Some(TargetReport::new(target, sampling, range, grid, fits, kernel, rich))
    }
}

/// Writes `report` as JSON with the target's report, when there is one, as the key `"target"`.
fn write_json(report: &impl serde::Serialize, target: Option<TargetReport>) -> Result<(), Failure> {
    write_stdout(|out| {
        match target {
            None => serde_json::to_writer(&mut *out, report)?,
            Some(t) => {
                let mut value = serde_json::to_value(report).map_err(io::Error::other)?;
                if let serde_json::Value::Object(map) = &mut value {
                    map.insert("target".into(), serde_json::to_value(t).map_err(io::Error::other)?);
                }
                serde_json::to_writer(&mut *out, &value)?;
            }
        }
        writeln!(out)
    })
}

/// Why a run stops early, and with which exit code.
enum Failure {
    /// Bad command line (exit 2).
    Usage(String),
    /// Data, parameter or solver error from the library (exit 1).
    Lib(Error),
    /// Writing the result failed, e.g. a closed pipe (exit 1).
    Output(io::Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Lib(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

/// A usage failure with `msg`.
fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

fn main() {
    // Lossy conversion: a non-UTF-8 argument must give an error, not a panic in `env::args`.
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let outcome = parse_args(&args).and_then(|request| match request {
        Request::Help => write_stdout(|out| out.write_all(help_text().as_bytes())),
        Request::Run { command, data, params, exact } => run(command, &data, &params, exact),
        Request::Gd { data, params } => run_gd(&data, &params),
        Request::Compare { data, params } => run_compare(&data, &params),
    });
    let code = match outcome {
        Ok(()) => 0,
        Err(Failure::Usage(msg)) => say(&format!("error: {msg} (see scaling-path --help)"), 2),
        Err(Failure::Lib(e)) => say(&format!("error: {e}"), 1),
        Err(Failure::Output(e)) => say(&format!("error: cannot write the output: {e}"), 1),
    };
    std::process::exit(code);
}

/// Writes `line` (newlines flattened, so it stays one line) to stderr and returns `code`.
/// Never panics, unlike `eprintln!`, when stderr is gone.
fn say(line: &str, code: i32) -> i32 {
    let _ = writeln!(io::stderr(), "{}", line.replace(['\n', '\r'], " "));
    code
}

/// Runs `write` on a buffered stdout and flushes it.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut out = BufWriter::new(io::stdout().lock());
    write(&mut out)?;
    out.flush()?;
    Ok(())
}

/// Parses the whole command line: `--help` anywhere, then the subcommand and its options.
fn parse_args(args: &[String]) -> Result<Request, Failure> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(Request::Help);
    }
    let Some((first, rest)) = args.split_first() else {
        return Err(usage("missing command: expected path, summary, gd, compare or help"));
    };
    let command = match first.as_str() {
        "path" => Some(Command::Path),
        "summary" => Some(Command::Summary),
        "gd" | "compare" => None,
        "help" => return Ok(Request::Help),
        other => return Err(usage(format!("unknown command '{other}': expected path, summary, gd, compare or help"))),
    };
    let mut options = split_options(rest)?;
    let data = source(&mut options)?;
    let Some(command) = command else {
        let params = build_gd_params(&options)?;
        return Ok(if first == "gd" { Request::Gd { data, params } } else { Request::Compare { data, params } });
    };
    if options.contains_key("max-steps") {
        return Err(usage("--max-steps applies to gd only (the scaling path is solved, not iterated)"));
    }
    let exact = options.contains_key("exact");
    Ok(Request::Run { command, data, params: build_params(&options)?, exact })
}

/// `--data FILE` and the target options: `--target NAME|FORMULA` with `--points N` (default
/// 10), `--noise S` (default 0), `--target-seed K` (default 0) and `--target-range LO:HI`
/// (default -2:2) to draw the data from it when no file is given.
fn source(options: &mut HashMap<String, Option<String>>) -> Result<Source, Failure> {
    let mut take = |name: &str| options.remove(name).flatten();
    let file = take("data");
    let (points, noise, seed, range) = (take("points"), take("noise"), take("target-seed"), take("target-range"));
    let Some(text) = take("target") else {
        if points.is_some() || noise.is_some() || seed.is_some() || range.is_some() {
            return Err(usage("--points, --noise, --target-seed and --target-range need --target"));
        }
        return Ok(Source { file: Some(file.ok_or_else(|| usage("missing --data FILE (or --target NAME|FORMULA)"))?), target: None });
    };
    let target = Target::parse(&text)?;
    let points = points.map(|t| parse_count("--points", &t)).transpose()?.unwrap_or(10);
    if points == 0 || points > MAX_POINTS {
        return Err(Failure::Lib(Error::OutOfRange { name: "points", value: points.to_string(), min: "1".into(), max: MAX_POINTS.to_string() }));
    }
    let noise = noise.map(|t| parse_f64("--noise", &t)).transpose()?.unwrap_or(0.0);
    if !(noise >= 0.0 && noise.is_finite()) {
        return Err(Failure::Lib(Error::OutOfRange { name: "noise", value: noise.to_string(), min: "0".into(), max: "any finite value".into() }));
    }
    let seed = seed.map(|t| parse_seed(&t)).transpose()?.unwrap_or(0);
    let range = match range {
        Some(t) => match t.split(':').collect::<Vec<_>>()[..] {
            [lo, hi] => [parse_f64("--target-range", lo)?, parse_f64("--target-range", hi)?],
            _ => return Err(usage(format!("--target-range expects LO:HI, got '{t}'"))),
        },
        None => [-2.0, 2.0],
    };
    if !(range[0] < range[1] && range[0].is_finite() && range[1].is_finite()) {
        return Err(usage(format!("--target-range needs finite LO < HI, got {}:{}", range[0], range[1])));
    }
    Ok(Source { file, target: Some((target, Sampling { points, noise, seed, range })) })
}

/// The options of `gd`: those of `path` that make sense for a finite network started from
/// sampled neurons (`--width` and `--seed` required, no `--directions`, no `--lambda`), and
/// the step budget.
fn build_gd_params(options: &HashMap<String, Option<String>>) -> Result<GdParams, Failure> {
    if options.contains_key("exact") {
        return Err(usage("--exact applies to path and summary (the infinite-width problem), not to gradient descent"));
    }
    if options.contains_key("directions") {
        return Err(usage("--directions does not apply to gd: gradient descent trains a finite network, give --width M --seed S"));
    }
    if options.contains_key("lambda") {
        return Err(usage("--lambda does not apply to gd: gradient descent fits the data exactly (lambda = 0)"));
    }
    if !options.contains_key("width") {
        return Err(usage("gd needs --width M (the number of neurons)"));
    }
    if !options.contains_key("seed") {
        return Err(usage("gd needs --seed S (the seed of the neurons, as in path --width M --seed S)"));
    }
    let path = build_params(options)?;
    let Width::Neurons { m, seed } = path.width else {
        return Err(usage("gd needs --width M --seed S"));
    };
    let max_steps = match options.get("max-steps").and_then(|v| v.as_deref()) {
        Some(text) => parse_count("--max-steps", text)?,
        None => DEFAULT_MAX_STEPS,
    };
    Ok(GdParams { taus: path.taus, law: path.law, symmetric: path.symmetric, m, seed, max_steps, grid: path.grid })
}

/// Splits `--name value`, `--name=value` and switches into a map name → value, rejecting
/// unknown names, repeated names and missing values. A value may start with `-` (a negative
/// number), but not with `--`.
fn split_options(args: &[String]) -> Result<HashMap<String, Option<String>>, Failure> {
    let mut options = HashMap::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let Some(body) = arg.strip_prefix("--") else {
            return Err(usage(format!("unexpected argument '{arg}'")));
        };
        let (name, inline) = match body.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (body, None),
        };
        let value = if SWITCHES.contains(&name) {
            if inline.is_some() {
                return Err(usage(format!("--{name} takes no value")));
            }
            None
        } else if VALUE_OPTIONS.contains(&name) {
            match inline.or_else(|| rest.next().filter(|v| !v.starts_with("--")).cloned()) {
                Some(value) => Some(value),
                None => return Err(usage(format!("--{name} needs a value"))),
            }
        } else {
            return Err(usage(format!("unknown option '--{name}'")));
        };
        if options.insert(name.to_string(), value).is_some() {
            return Err(usage(format!("--{name} is given more than once")));
        }
    }
    Ok(options)
}

/// Turns the options into unchecked [`PathParams`], starting from the defaults. Only the
/// text is checked here (numbers, exclusive options); ranges are `PathParams::check`'s job.
fn build_params(options: &HashMap<String, Option<String>>) -> Result<PathParams, Failure> {
    let get = |name: &str| options.get(name).and_then(|v| v.as_deref());
    let mut params = PathParams::default();
    match (get("tau"), get("tau-range")) {
        (Some(_), Some(_)) => return Err(usage("--tau and --tau-range are exclusive: give one of them")),
        (Some(list), None) => params.taus = list.split(',').map(|t| parse_f64("--tau", t)).collect::<Result<_, _>>()?,
        (None, Some(range)) => {
            let (min, max, count) = parse_triple("--tau-range", "MIN:MAX:COUNT", range)?;
            params.taus = params::log_range(min, max, count)?;
        }
        (None, None) => {}
    }
    if let Some(lambda) = get("lambda") {
        params.lambda = parse_f64("--lambda", lambda)?;
    }
    if let Some(law) = get("law") {
        params.law = law.parse::<Law>()?;
    }
    params.symmetric = !options.contains_key("asymmetric");
    params.width = match (get("directions"), get("width"), get("seed")) {
        (Some(_), Some(_), _) => return Err(usage("--directions and --width are exclusive: give one of them")),
        (_, None, Some(_)) => return Err(usage("--seed requires --width (a quadrature has no seed)")),
        (Some(n), None, None) => Width::Directions(parse_count("--directions", n)?),
        (None, Some(m), seed) => {
            let seed = seed.map(parse_seed).transpose()?.unwrap_or(0);
            Width::Neurons { m: parse_count("--width", m)?, seed }
        }
        (None, None, None) => params.width,
    };
    if let Some(grid) = get("grid") {
        let (min, max, count) = parse_triple("--grid", "XMIN:XMAX:COUNT", grid)?;
        params.grid = Some(Grid { min, max, count });
    }
    Ok(params)
}

/// A floating-point number (`nan` and `inf` parse: the library rejects them with its message).
fn parse_f64(flag: &str, text: &str) -> Result<f64, Failure> {
    text.trim().parse().map_err(|_| usage(format!("{flag} expects a number, got '{text}'")))
}

/// A count (its range is checked by the library).
fn parse_count(flag: &str, text: &str) -> Result<usize, Failure> {
    text.trim().parse().map_err(|_| usage(format!("{flag} expects a whole number, got '{text}'")))
}

/// A seed in `0..2^64`.
fn parse_seed(text: &str) -> Result<u64, Failure> {
    text.trim().parse().map_err(|_| usage(format!("--seed expects a whole number from 0 to {}, got '{text}'", u64::MAX)))
}

/// `MIN:MAX:COUNT` (negative numbers allowed, e.g. `-3:3:601`).
fn parse_triple(flag: &str, shape: &str, text: &str) -> Result<(f64, f64, usize), Failure> {
    match text.split(':').collect::<Vec<_>>()[..] {
        [min, max, count] => Ok((parse_f64(flag, min)?, parse_f64(flag, max)?, parse_count(flag, count)?)),
        _ => Err(usage(format!("{flag} expects {shape}, got '{text}'"))),
    }
}

/// Reads and validates the data, solves every τ (progress on a terminal), prints the result
/// and one warning line per τ that is not certified.
fn run(command: Command, source: &Source, params: &PathParams, exact: bool) -> Result<(), Failure> {
    let data = source.load()?;
    let valid = params.check(&data)?;
    let terminal = io::stderr().is_terminal();
    let solved = if exact {
        scaling_path::exact::exact_path(&data, &valid, |done, total| {
            if terminal {
                let _ = write!(io::stderr(), "\r\x1b[2Kτ {done}/{total} (infinite width) …");
            }
        })
    } else {
        scaling_path::solve_path(&data, &valid, |done, total, report: &TauReport| {
            if terminal {
                let _ = write!(io::stderr(), "\r\x1b[2Kτ {done}/{total} (tau = {:.3e}) …", report.tau);
            }
        })
    };
    if terminal {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
    let report = solved?;
    match command {
        Command::Path => write_json(&report, path_target(source, &report))?,
        Command::Summary => write_stdout(|out| write_summary(out, &report))?,
    }
    for r in report.path.iter().filter(|r| !r.certified) {
        let e = Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual };
        say(&format!("warning: {e}"), 0);
    }
    Ok(())
}

/// Steps between two progress lines of `gd` when stderr is not a terminal.
const GD_LOG_EVERY: usize = 1_000_000;

/// Reads and validates the data, runs gradient descent for every τ (progress on stderr: live on
/// a terminal, otherwise a line every [`GD_LOG_EVERY`] steps), prints the result and one
/// warning line per τ that did not converge.
fn run_gd(source: &Source, params: &GdParams) -> Result<(), Failure> {
    let data = source.load()?;
    let valid = params.check(&data)?;
    let terminal = io::stderr().is_terminal();
    let report = gd::optimization_path(&data, &valid, |p: Progress| {
        let line = format!("gd: tau {}/{} (tau = {:.3e}): step {}, loss {:.3e}", p.index + 1, p.total, p.tau, p.steps, p.loss);
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2K{line}");
        } else if !p.done && p.steps % GD_LOG_EVERY == 0 {
            say(&line, 0);
        }
    });
    if terminal {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
    let report: GdReport = report?;
    write_json(&report, gd_target(source, &report))?;
    warn_gd(&report);
    Ok(())
}

/// One warning line per τ whose gradient descent did not converge.
fn warn_gd(report: &GdReport) {
    for r in report.runs.iter().filter(|r| !r.converged) {
        let why = match (&r.stall_reason, r.capped) {
            (_, true) => format!("stopped at the step cap {}", report.max_steps),
            (Some(reason), false) => format!("stalled after {} steps ({reason})", r.steps),
            (None, false) => format!("stalled after {} steps", r.steps),
        };
        say(&format!("warning: tau = {}: gradient descent {why} with loss {:.3e} (target {:.3e})", r.tau, r.loss, r.target_loss), 0);
    }
}

/// `compare`: the path from the same neurons as gradient descent, every run, and per τ the two
/// costs and the sup distance of the fits; warnings as `path` and `gd` give them.
fn run_compare(source: &Source, params: &GdParams) -> Result<(), Failure> {
    let data = source.load()?;
    let valid = params.check(&data)?;
    let terminal = io::stderr().is_terminal();
    let report = scaling_path::compare::compare(&data, &valid, |p: Progress| {
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2Kgd: tau {}/{} (tau = {:.3e}): step {}, loss {:.3e}", p.index + 1, p.total, p.tau, p.steps, p.loss);
        }
    });
    if terminal {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
    let report = report?;
    // The target's test errors: the path's per τ, and gradient descent's per run.
    let target = path_target(source, &report.path).map(|mut t| {
        if let Some(g) = gd_target(source, &report.gd) {
            t.gd_test_errors = Some(g.test_errors);
        }
        t
    });
    write_json(&report, target)?;
    for r in report.path.path.iter().filter(|r| !r.certified) {
        let e = Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual };
        say(&format!("warning: {e}"), 0);
    }
    warn_gd(&report.gd);
    Ok(())
}

/// The target's report for a path: the test error of every τ and of both limits.
fn path_target(source: &Source, report: &PathReport) -> Option<TargetReport> {
    let grid = &report.path.first()?.fit.x;
    let fits: Vec<&[f64]> = report.path.iter().map(|r| r.fit.y.as_slice()).collect();
    let kernel = report.kernel_limit.as_ref().map(|k| k.fit.y.as_slice());
    let rich = report.rich_limit.as_ref().map(|r| r.fit.y.as_slice());
    source.report(&report.data, grid, &fits, kernel, rich)
}

/// The target's report for gradient descent: the test error of every run.
fn gd_target(source: &Source, report: &GdReport) -> Option<TargetReport> {
    let grid = &report.runs.first()?.fit.x;
    let fits: Vec<&[f64]> = report.runs.iter().map(|r| r.fit.y.as_slice()).collect();
    source.report(&report.data, grid, &fits, None, None)
}

/// `v` in scientific notation, or `n/a` if it is not finite (the table never shows NaN).
fn sci(v: f64) -> String {
    if v.is_finite() { format!("{v:.3e}") } else { "n/a".to_string() }
}

/// The `summary` table: one line per τ, then the worst relative gap (in size) and residual.
fn write_summary(out: &mut dyn Write, report: &PathReport) -> io::Result<()> {
    writeln!(out, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>9}", "tau", "W²/τ²", "primal", "rel.gap", "residual", "split", "certified")?;
    for r in &report.path {
        let cost = r.transport_cost / (r.tau * r.tau);
        let certified = if r.certified { "yes" } else { "no" };
        let cells = [r.tau, cost, r.primal, r.relative_gap, r.residual].map(sci);
        writeln!(out, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>9}", cells[0], cells[1], cells[2], cells[3], cells[4], r.split_sources, certified)?;
    }
    // |·|: a gap may come out slightly negative (round-off); its size is what matters.
    let worst = |f: fn(&TauReport) -> f64| report.path.iter().map(|r| f(r).abs()).fold(0.0, f64::max);
    writeln!(out, "worst |relative gap| {}, worst residual {}", sci(worst(|r| r.relative_gap)), sci(worst(|r| r.residual)))
}

/// The `--help` text, with the library's caps.
fn help_text() -> String {
    format!(
        "\
scaling-path: the scaling path of infinite-width 2-layer ReLU networks on 1-D data,
solved as a convex problem and certified by a duality gap (see MATH.md).

USAGE
  scaling-path path    --data FILE [OPTIONS]   solve; print the path as JSON on stdout
  scaling-path summary --data FILE [OPTIONS]   solve; print a table on stdout
  scaling-path gd      --data FILE --width M --seed S [OPTIONS]
                       gradient descent from the same M neurons as path --width M --seed S,
                       one run per tau; print the final states as JSON on stdout
  scaling-path compare --data FILE --width M --seed S [OPTIONS]
                       the path from those M neurons, gradient descent from them at every tau,
                       and per tau both transport costs and sup |f_gd - f_path| (JSON on stdout)
  scaling-path --help | help | path --help     print this text

OPTIONS (write --name value or --name=value; negative numbers are fine: --grid -3:3:601)
  --data FILE              the data set (required), 1 to {MAX_POINTS} points
  --tau T1,T2,...          initialization scales τ, each finite and > 0, 1 to {MAX_TAUS} values
                           [default: 9 values log-spaced from 0.01 to 100]
  --tau-range MIN:MAX:COUNT  COUNT values log-spaced from MIN to MAX, 1 <= COUNT <= {MAX_TAUS}
                           (not together with --tau)
  --lambda L               data-fit weight λ, finite and >= 0; 0 interpolates exactly [default: 0]
  --law NAME               base law μ0: gaussian, sphere, balanced, uniform-kinks [default: gaussian]
  --asymmetric             do not pair each neuron (a,w,b) with its twin (-a,w,b) [default: paired]
  --directions N           infinite width: a quadrature of about N directions,
                           1 <= N <= {MAX_DIRECTIONS} [default: 4096]
  --width M                finite width: M sampled neurons, 1 <= M <= {MAX_WIDTH}, even unless
                           --asymmetric (not together with --directions)
  --seed S                 seed of the sampled neurons, 0 <= S < 2^64; needs --width [default: 0]
  --max-steps K            gd only: step budget per tau, 1 <= K <= {MAX_STEPS} [default: {DEFAULT_MAX_STEPS}]
  gd and compare take --tau/--tau-range, --law, --asymmetric, --grid, --max-steps as above; they
  need --width and --seed and reject --directions and --lambda (GD trains a finite network to
  interpolate).
  --exact                  path/summary: solve the infinite-width problem itself (MATH §11:
                           Newton on the dual integrated over cells where the minimizer is one
                           piece) instead of its N-direction quadrature; each tau then reports
                           integration_error (of f(X)) and fit_error (of the curve). Gaussian,
                           sphere and balanced laws; distinct abscissas; much slower
  --grid XMIN:XMAX:COUNT   where the fit is reported: XMIN < XMAX, 2 <= COUNT <= {MAX_GRID}
                           [default: the data range widened by 25 % on each side, 401 points]

GROUND TRUTH (path, gd and compare)
  --target NAME|FORMULA    a target function g: sine, step, abs, kink, bump, or a formula in x
                           (numbers, x, pi, e, + - * / ^, parentheses, sin cos tan exp log sqrt
                           abs tanh relu step; parsed, never executed). Without --data, the data
                           are drawn from it; either way \"target\" in the JSON gives g on the grid
                           and the test error (RMS of f - g over the grid points within the
                           sampling range, or the data's range) of every tau, limit and GD run.
  --points N               points drawn, 1 <= N <= {MAX_POINTS} [default: 10]
  --noise S                standard deviation of the Gaussian noise added to g(x) [default: 0]
  --target-seed K          seed of the draws [default: 0]
  --target-range LO:HI     the interval x is drawn from [default: -2:2]

DATA
  CSV with the header x,y (separator , ; or tab; blank lines and # comments skipped), or
  JSON {{\"x\":[...],\"y\":[...]}}. At lambda = 0, equal x values need equal y values.

OUTPUT
  path     {{\"data\":{{\"x\",\"y\"}}, \"lambda\", \"init\":{{\"law\",\"symmetric\",\"weights\",\"neurons\",...}},
            \"path\":[{{\"tau\",\"alpha\",\"primal\",\"dual\",\"gap\",\"residual\",\"neurons\",\"fit\",...}}],
            \"kernel_limit\":{{\"kernel\",\"fit\",\"norm\"}}, \"rich_limit\":{{\"cost\",\"fit\",\"kinks\",...}}}}
           with tau increasing; a row [p, share, a, w, b] of \"neurons\" sends the fraction share of
           initial neuron p to (a, w, b). kernel_limit: the tangent-kernel interpolant (τ → ∞) and
           its RKHS norm; rich_limit (λ = 0): the minimal-norm interpolant (τ → 0), its cost and
           kinks; per τ, kernel_distance and rich_distance are sup distances on the grid.
  summary  per tau: W²/τ², primal, relative gap, residual, split sources, certified; then the
           worst relative gap and residual.
  gd       {{\"data\", \"init\" (as in path), \"max_steps\",
            \"runs\":[{{\"tau\",\"steps\",\"status\",\"converged\",\"capped\",\"loss\",\"target_loss\",
                     \"residual\",\"transport_cost\",\"step_size\",\"rejected_steps\",\"neurons\",\"fit\"}}]}}
           with tau increasing; \"neurons\" are the final [a, w, b] of init.neurons (weight 1/M each),
           transport_cost = (1/M) Σ |θ_j − τ θ̄_j|²; a run converged when loss <= 1e-12·mean(y²).
  compare  {{\"path\": <the path JSON>, \"gd\": <the gd JSON>, \"comparison\":[{{\"tau\",\"sup_distance\",
            \"w_path\",\"w_gd\",\"cost_excess\",\"gd_status\",\"gd_residual\",\"path_certified\"}}]}}
           with the path solved from the same M neurons: w_path <= w_gd up to its certificate.
  Progress is shown on stderr when stderr is a terminal (gd: otherwise a line every 10^6 steps).

EXIT CODES
  0  success, also when some tau is not certified (relative gap > 1e-6 or residual >
     1e-9·max(1, max|y|)) or, for gd, did not converge: the result is printed, plus one
     warning line per such tau on stderr
  1  unreadable or invalid data, invalid parameter, or solver error: one line 'error: ...'
  2  usage error (unknown command or option, missing value, not a number): one line 'error: ...'

EXAMPLES
  scaling-path summary --data examples/data/example.csv --tau-range 0.01:100:9 --directions 1024
  scaling-path gd --data examples/data/example.csv --tau 0.1,1,10 --width 400 --seed 1
"
    )
}
