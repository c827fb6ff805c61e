//! `scaling-path`: the command line of the scaling-path solver (MATH §4–§7) and of gradient
//! descent from the same neurons (MATH §3).
//!
//! A thin layer: clap turns the text into numbers ([`Cli`]), which fill the core's
//! [`Options`]; their one conversion (shared with the browser bindings) gives a [`PathParams`]
//! (or, for `gd`, a [`GdParams`]) that goes through the library's one validation path
//! ([`PathParams::check`]). It then runs [`scaling_path::solve_path`] (or
//! [`gd::optimization_path`]) and prints JSON (`path`, schema in `scaling_path::path::report`; `gd`,
//! schema in `scaling_path::gd`) or a table (`summary`) on stdout. Messages go to stderr on one
//! line each (clap's errors too, rendered by [`clap_message`]). Exit codes: 0 success, 1
//! data/parameter/solver error, 2 usage error.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, Parser, Subcommand};
use scaling_path::Error;
use scaling_path::gd::{self, DEFAULT_MAX_STEPS, GdParams, GdReport, MAX_STEPS, Progress};
use scaling_path::input::data::Data;
use scaling_path::input::options::{Front, GridOption, Options};
use scaling_path::input::params::{MAX_DIRECTIONS, MAX_GRID, MAX_POINTS, MAX_TAUS, MAX_WIDTH, PathParams, check_budget, MAX_BUDGET_SECONDS};
use scaling_path::input::plane_data::{Dataset, PlaneData};
use scaling_path::path::plane::{PlanePathReport, plane_path};
use scaling_path::input::target::{Sampling, Target, TargetReport};
use scaling_path::path::report::{PathReport, TauReport};
use scaling_path::path::width_check::{PROMISED_RESIDUAL, check_infinite_width};
use std::io::{self, BufWriter, IsTerminal, Write};

/// The command line. Every option is global (accepted before or after the command); the
/// conversion into parameters rejects those that do not apply to the command, with a message.
#[derive(Debug, Parser)]
#[command(
    name = "scaling-path",
    about = "The scaling path of infinite-width 2-layer ReLU networks on 1-D data",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_HELP,
    disable_help_flag = true,
    disable_version_flag = true,
    subcommand_required = true,
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    options: CliOptions,
    /// Print this text (also: scaling-path help, scaling-path COMMAND --help)
    #[arg(short, long, action = ArgAction::HelpLong, global = true)]
    help: Option<bool>,
}

/// The overview at the top of `--help`.
const LONG_ABOUT: &str = "\
scaling-path: the scaling path of infinite-width 2-layer ReLU networks on data on the line or
in the plane, solved as a convex problem and certified by a duality gap (see MATH.md).

  scaling-path path    --data FILE [OPTIONS]   solve; print the path as JSON on stdout
  scaling-path summary --data FILE [OPTIONS]   solve; print a table on stdout
  scaling-path gd      --data FILE --width M --seed S [OPTIONS]
                       gradient descent from the same M neurons as path --width M --seed S,
                       one run per tau; print the final states as JSON on stdout
  scaling-path compare --data FILE --width M --seed S [OPTIONS]
                       the path from those M neurons, gradient descent from them at every tau,
                       and per tau both transport costs and sup |f_gd - f_path| (JSON on stdout)
  scaling-path transport --data FILE [OPTIONS] the exact W² of the path at each tau against the
                       initialization at each tau (the paper's table; JSON on stdout)
  scaling-path --help | help | path --help     print this text

gd and compare take --tau/--tau-range, --law, --asymmetric, --grid, --max-steps as below; they
need --width and --seed and reject --directions and --lambda other than 0 (GD trains a finite
network to interpolate). Options are written --name value or --name=value; negative numbers
are fine: --grid -3:3:601.";

/// The sections after the options in every `--help`.
const AFTER_HELP: &str = "\
DATA
  CSV with the header x,y (separator , ; or tab; blank lines and # comments skipped), or
  JSON {\"x\":[...],\"y\":[...]}. At lambda = 0, equal x values need equal y values.
  Inputs in the plane (path, summary, gd and compare): CSV with the header x1,x2,y, or JSON with x as
  [[x1,x2],...]; --width M, or a quadrature of the law's directions (--directions N:
  balanced, gaussian, sphere) with its infinite-width check. The JSON is the line's one dimension up: \"dim\":2, rows
  [p, share, a, w1, w2, b], the fit on a grid {\"x1\",\"x2\",\"f\"} with f[j][i] = f(x1[i], x2[j]).

OUTPUT
  path     {\"data\":{\"x\",\"y\"}, \"lambda\", \"init\":{\"law\",\"symmetric\",\"weights\",\"neurons\",...},
            \"path\":[{\"tau\",\"alpha\",\"primal\",\"dual\",\"gap\",\"residual\",\"neurons\",\"fit\",...}],
            \"kernel_limit\":{\"kernel\",\"fit\",\"norm\"}, \"rich_limit\":{\"cost\",\"fit\",\"kinks\",...}}
           with tau increasing; a row [p, share, a, w, b] of \"neurons\" sends the fraction share of
           initial neuron p to (a, w, b). kernel_limit: the tangent-kernel interpolant (τ → ∞) and
           its RKHS norm; rich_limit (λ = 0): the minimal-norm interpolant (τ → 0), its cost and
           kinks; per τ, kernel_distance and rich_distance are sup distances on the grid.
  summary  per tau: W²/τ², primal, relative gap, residual, split sources, certified; then the
           worst relative gap and residual.
  gd       {\"data\", \"init\" (as in path), \"max_steps\",
            \"runs\":[{\"tau\",\"steps\",\"status\",\"converged\",\"capped\",\"loss\",\"target_loss\",
                     \"residual\",\"transport_cost\",\"step_size\",\"rejected_steps\",\"neurons\",\"fit\"}]}
           with tau increasing; \"neurons\" are the final [a, w, b] of init.neurons (weight 1/M each),
           transport_cost = (1/M) Σ |θ_j − τ θ̄_j|²; a run converged when loss <= 1e-12·mean(y²).
  compare  {\"path\": <the path JSON>, \"gd\": <the gd JSON>, \"comparison\":[{\"tau\",\"sup_distance\",
            \"w_path\",\"w_gd\",\"cost_excess\",\"gd_status\",\"gd_residual\",\"path_certified\"}]}
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
  scaling-path gd --data examples/data/example.csv --tau 0.1,1,10 --width 400 --seed 1";

/// What the run prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Subcommand)]
enum Command {
    /// Solve the path; print it as JSON on stdout.
    #[command(after_long_help = AFTER_HELP)]
    Path,
    /// Solve the path; print a table on stdout, one line per τ.
    #[command(after_long_help = AFTER_HELP)]
    Summary,
    /// Gradient descent from M neurons, one run per tau; JSON on stdout
    ///
    /// Gradient descent from the same M neurons as path --width M --seed S (both needed), one
    /// run per tau; print the final states as JSON on stdout.
    #[command(after_long_help = AFTER_HELP)]
    Gd,
    /// The path and gradient descent from M neurons, compared per tau; JSON on stdout
    ///
    /// The path from the M neurons of --width M --seed S (both needed), gradient descent from
    /// them at every tau, and per tau both transport costs and sup |f_gd - f_path|, as JSON on
    /// stdout.
    #[command(after_long_help = AFTER_HELP)]
    Compare,
    /// The exact W² of the path at each tau against the initialization at each tau; JSON on stdout
    ///
    /// Solves the path at every tau, then prints the table {"path_taus", "init_taus", "cost",
    /// "gap", "path_transport_cost", "cheapest_path_tau"}: cost[i][j] is the exact (unregularized)
    /// W² between the path's measure at path_taus[i] and the initial neurons scaled by
    /// init_taus[j] (the same list), gap its duality gap, cheapest_path_tau[j] the path tau of
    /// the least cost in column j.
    #[command(after_long_help = AFTER_HELP)]
    Transport,
}

/// The options, as text parsed into numbers; the rules between them are [`Options`]'.
#[derive(Debug, Args)]
struct CliOptions {
    #[arg(long, global = true, value_name = "FILE",
          help = format!("The data set, 1 to {MAX_POINTS} points (required unless --target is given)"))]
    data: Option<String>,
    #[arg(long, global = true, value_name = "T1,T2,...", value_parser = tau_list,
          help = format!("Initialization scales τ, each finite and > 0, 1 to {MAX_TAUS} values \
                          [default: 9 values log-spaced from 0.01 to 100]"))]
    tau: Option<TauList>,
    #[arg(long, global = true, value_name = "MIN:MAX:COUNT", value_parser = tau_range,
          help = format!("COUNT values of τ log-spaced from MIN to MAX, 1 <= COUNT <= {MAX_TAUS} (not together with --tau)"))]
    tau_range: Option<Triple>,
    /// Data-fit weight λ, finite and >= 0; 0 interpolates exactly [default: 0]
    #[arg(long, global = true, value_name = "L", value_parser = parse_number)]
    lambda: Option<f64>,
    /// Base law μ0: gaussian, sphere, balanced, uniform-kinks [default: gaussian]
    #[arg(long, global = true, value_name = "NAME")]
    law: Option<String>,
    /// Do not pair each neuron (a,w,b) with its twin (-a,w,b) [default: paired]
    #[arg(long, global = true)]
    asymmetric: bool,
    #[arg(long, global = true, value_name = "N", value_parser = parse_whole,
          help = format!("Infinite width: a quadrature of about N directions, 1 <= N <= {MAX_DIRECTIONS} [default: 4096]"))]
    directions: Option<u64>,
    #[arg(long, global = true, value_name = "M", value_parser = parse_whole,
          help = format!("Finite width: M sampled neurons, 1 <= M <= {MAX_WIDTH}, even unless --asymmetric \
                          (not together with --directions)"))]
    width: Option<u64>,
    /// Seed of the sampled neurons, 0 <= S < 2^64; needs --width [default: 0]
    #[arg(long, global = true, value_name = "S", value_parser = seed)]
    seed: Option<u64>,
    #[arg(long, global = true, value_name = "K", value_parser = parse_whole,
          help = format!("gd and compare only: step budget per tau, 1 <= K <= {MAX_STEPS} [default: {DEFAULT_MAX_STEPS}]"))]
    max_steps: Option<u64>,
    /// path and summary: solve the infinite-width problem itself (MATH §11: Newton on the dual
    /// integrated over cells where the minimizer is one piece) instead of its N-direction
    /// quadrature; each tau then reports integration_error (of f(X)) and fit_error (of the
    /// curve). Gaussian, sphere and balanced laws; distinct abscissas; much slower
    #[arg(long, global = true)]
    exact: bool,
    /// path and summary on a quadrature: skip the infinite-width check (by default each tau
    /// reports infinite_width_residual: how far the network of its alpha, integrated over the
    /// initial law itself as in --exact, misses the data — the quadrature's own error)
    #[arg(long, global = true)]
    no_width_check: bool,
    #[arg(long, global = true, value_name = "SECONDS", value_parser = budget,
          help = format!("path and summary on the line, on a quadrature or at finite width: give each tau at most \
                          SECONDS (0 < SECONDS <= {MAX_BUDGET_SECONDS}, its warm-up included); a tau not certified by then is \
                          reported with the best measure found, uncertified and with \"budget_exhausted\": true. Its \
                          numbers then depend on the machine [default: no limit]"))]
    budget: Option<f64>,
    #[arg(long, global = true, value_name = "XMIN:XMAX:COUNT", value_parser = grid,
          help = format!("Where the fit is reported: XMIN < XMAX, 2 <= COUNT <= {MAX_GRID} \
                          [default: the data range widened by 25 % on each side, 401 points]"))]
    grid: Option<Triple>,
    /// A target function g: sine, step, abs, kink, bump, or a formula in x (numbers, x, pi, e, the
    /// operators + - * / ^, parentheses, sin cos tan exp log sqrt abs tanh relu step; parsed,
    /// never executed). Without --data, the data are drawn from it; either way "target" in the JSON
    /// gives g on the grid and the test error (RMS of f - g over the grid points within the
    /// sampling range, or the data's range) of every tau, limit and GD run
    #[arg(long, global = true, value_name = "NAME|FORMULA",
          help_heading = "Ground truth (path, gd and compare)")]
    target: Option<String>,
    #[arg(long, global = true, value_name = "N", value_parser = parse_whole,
          help_heading = "Ground truth (path, gd and compare)",
          help = format!("Points drawn from the target, 1 <= N <= {MAX_POINTS} [default: 10]"))]
    points: Option<u64>,
    /// Standard deviation of the Gaussian noise added to g(x) [default: 0]
    #[arg(long, global = true, value_name = "S", value_parser = parse_number,
          help_heading = "Ground truth (path, gd and compare)")]
    noise: Option<f64>,
    /// Seed of the draws [default: 0]
    #[arg(long, global = true, value_name = "K", value_parser = seed,
          help_heading = "Ground truth (path, gd and compare)")]
    target_seed: Option<u64>,
    /// The interval x is drawn from [default: -2:2]
    #[arg(long, global = true, value_name = "LO:HI", value_parser = interval,
          help_heading = "Ground truth (path, gd and compare)")]
    target_range: Option<[f64; 2]>,
}

/// `--tau T1,T2,...`.
#[derive(Debug, Clone)]
struct TauList(Vec<f64>);

/// `MIN:MAX:COUNT`.
#[derive(Debug, Clone, Copy)]
struct Triple(f64, f64, u64);

// The value parsers: each message follows the option's name (see `clap_message`).

/// A number (`nan` and `inf` parse: the library rejects them with its message).
fn parse_number(text: &str) -> Result<f64, String> {
    text.trim().parse().map_err(|_| format!("expects a number, got '{text}'"))
}


/// A count (its range is checked by the library).
fn parse_whole(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| format!("expects a whole number, got '{text}'"))
}


/// A seed in `0..2^64`.
fn seed(text: &str) -> Result<u64, String> {
    text.trim().parse().map_err(|_| format!("expects a whole number from 0 to {}, got '{text}'", u64::MAX))
}

/// A time budget in seconds ([`check_budget`]).
fn budget(text: &str) -> Result<f64, String> {
    check_budget(parse_number(text)?).map_err(|_| format!("expects seconds, more than 0 and at most {MAX_BUDGET_SECONDS}, got '{text}'"))
}

/// Seconds since the first call: the clock of `--budget`.
fn seconds() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64()
}

/// `T1,T2,...`.
fn tau_list(text: &str) -> Result<TauList, String> {
    text.split(',').map(parse_number).collect::<Result<_, _>>().map(TauList)
}

/// `MIN:MAX:COUNT` (negative numbers allowed, e.g. `-3:3:601`), described as `shape`.
fn triple(text: &str, shape: &str) -> Result<Triple, String> {
    match text.split(':').collect::<Vec<_>>()[..] {
        [min, max, count] => Ok(Triple(parse_number(min)?, parse_number(max)?, parse_whole(count)?)),
        _ => Err(format!("expects {shape}, got '{text}'")),
    }
}

/// `--tau-range MIN:MAX:COUNT`.
fn tau_range(text: &str) -> Result<Triple, String> {
    triple(text, "MIN:MAX:COUNT")
}

/// `--grid XMIN:XMAX:COUNT`.
fn grid(text: &str) -> Result<Triple, String> {
    triple(text, "XMIN:XMAX:COUNT")
}

/// `LO:HI`.
fn interval(text: &str) -> Result<[f64; 2], String> {
    match text.split(':').collect::<Vec<_>>()[..] {
        [lo, hi] => Ok([parse_number(lo)?, parse_number(hi)?]),
        _ => Err(format!("expects LO:HI, got '{text}'")),
    }
}

/// Width of an option's help text (clap indents it by 10 columns and, without its terminal
/// feature, does not wrap it).
const HELP_WIDTH: usize = 88;

/// `text` with its lines broken at spaces to at most `width` columns (longer words stay whole).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut used = 0;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let n = word.chars().count();
            if used > 0 && used + 1 + n > width {
                out.push('\n');
                used = 0;
            } else if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += n;
        }
    }
    out
}

/// The arguments with every value that starts with `-` attached to its option (`--grid -3:3:601`
/// → `--grid=-3:3:601`): clap takes such a value only when attached. A value may start with `-`
/// (a negative number), not with `--` (an option: the one before then lacks its value).
fn attach_values(args: &[String]) -> Vec<String> {
    let command = <Cli as clap::CommandFactory>::command();
    let takes_value: Vec<&str> = command.get_arguments().filter(|a| a.get_action().takes_values()).filter_map(|a| a.get_long()).collect();
    let mut out = Vec::with_capacity(args.len());
    let mut rest = args.iter().peekable();
    while let Some(arg) = rest.next() {
        let option = arg.strip_prefix("--").is_some_and(|name| takes_value.contains(&name));
        match rest.next_if(|v| option && v.starts_with('-') && !v.starts_with("--")) {
            Some(value) => out.push(format!("{arg}={value}")),
            None => out.push(arg.clone()),
        }
    }
    out
}

/// clap's error as our one line (without the `error: ` prefix): the option named as written,
/// the wording of the messages before clap.
fn clap_message(e: &clap::Error) -> String {
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    // `--lambda <L>` → `--lambda`.
    let flag = |kind: ContextKind| context(kind).map(|s| s.split([' ', '=']).next().unwrap_or_default().to_string());
    let arg = flag(ContextKind::InvalidArg).unwrap_or_default();
    const COMMANDS: &str = "expected path, summary, gd, compare, transport or help";
    match e.kind() {
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or_else(|| "has an invalid value".to_string(), |s| s.to_string());
            format!("{arg} {why}")
        }
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_none_or(|v| v.is_empty()) => format!("{arg} needs a value"),
        ErrorKind::TooManyValues | ErrorKind::UnknownArgument if arg.contains('=') || context(ContextKind::InvalidValue).is_some() => {
            format!("{arg} takes no value")
        }
        ErrorKind::UnknownArgument if arg.starts_with("--") => format!("unknown option '{arg}'"),
        ErrorKind::UnknownArgument => format!("unexpected argument '{arg}'"),
        ErrorKind::InvalidSubcommand => format!("unknown command '{}': {COMMANDS}", context(ContextKind::InvalidSubcommand).unwrap_or_default()),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => format!("missing command: {COMMANDS}"),
        ErrorKind::ArgumentConflict if flag(ContextKind::PriorArg).is_none_or(|prior| prior == arg) => format!("{arg} is given more than once"),
        _ => {
            // Clap's own words, first line, without its prefix.
            let text = e.render().to_string();
            text.lines().next().unwrap_or_default().trim_start_matches("error: ").to_string()
        }
    }
}

/// What the command line asks for.
enum Request {
    /// Print the help text.
    Help(String),
    /// Solve the path on `data` with the (unchecked) `params` and print it as `command` says.
    Run { command: Command, data: Source, params: PathParams, exact: bool, width_check: bool, budget: Option<f64> },
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
    /// The data of either dimension: read from the file, or sampled from the target.
    fn load_any(&self) -> Result<Dataset, Failure> {
        match (&self.file, &self.target) {
            (Some(path), _) => {
                let bytes = std::fs::read(path).map_err(|e| Error::Unreadable { path: path.to_string(), reason: e.to_string() })?;
                Ok(Dataset::parse_bytes(&bytes, path)?)
            }
            (None, Some((target, s))) => Ok(Dataset::Line(target.sample(s.points, s.range[0], s.range[1], s.noise, s.seed)?)),
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

/// An error of the options' conversion: a usage error (exit 2) when it is about the text of
/// the command line, the library's otherwise (exit 1: an unknown law, a τ range out of range).
fn options_failure(e: Error) -> Failure {
    match e {
        Error::Usage(msg) => Failure::Usage(msg),
        e => Failure::Lib(e),
    }
}

fn main() {
    // Lossy conversion: a non-UTF-8 argument must give an error, not a panic.
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let outcome = parse_args(&args).and_then(|request| match request {
        Request::Help(text) => write_stdout(|out| out.write_all(text.as_bytes())),
        Request::Run { command: Command::Transport, data, params, exact, .. } => run_transport(&data, &params, exact),
        Request::Run { command, data, params, exact, width_check, budget } => run(command, &data, &params, exact, width_check, budget),
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

/// Parses the whole command line (clap), then converts the options (the core's [`Options`]).
fn parse_args(args: &[String]) -> Result<Request, Failure> {
    // The help texts wrapped (the options' at HELP_WIDTH, the commands' at that plus the indent).
    let command = <Cli as clap::CommandFactory>::command()
        .mut_args(|arg| match arg.get_long_help().or(arg.get_help()).map(|h| wrap(&h.to_string(), HELP_WIDTH)) {
            Some(help) => arg.long_help(help),
            None => arg,
        })
        .mut_subcommands(|command| match command.get_long_about().map(|a| wrap(&a.to_string(), HELP_WIDTH + 10)) {
            Some(about) => command.long_about(about),
            None => command,
        });
    let parsed = command
        .try_get_matches_from(std::iter::once("scaling-path".to_string()).chain(attach_values(args)))
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => return Ok(Request::Help(e.render().to_string())),
        Err(e) => return Err(usage(clap_message(&e))),
    };
    let o = &cli.options;
    let data = source(o)?;
    let options = Options {
        taus: o.tau.clone().map(|t| t.0),
        tau_min: o.tau_range.map(|r| r.0),
        tau_max: o.tau_range.map(|r| r.1),
        tau_count: o.tau_range.map(|r| r.2),
        lambda: o.lambda,
        law: o.law.clone(),
        symmetric: o.asymmetric.then_some(false),
        directions: o.directions,
        width: o.width,
        seed: o.seed,
        grid: o.grid.map(|Triple(min, max, count)| GridOption { min, max, count }),
        max_steps: o.max_steps,
        ..Options::default()
    };
    match cli.command {
        command @ (Command::Path | Command::Summary | Command::Transport) => {
            let params = options.path_plan(Front::Cli).map_err(options_failure)?.params;
            if o.budget.is_some() && (o.exact || command == Command::Transport) {
                return Err(usage("--budget applies to path and summary on a quadrature or at finite width, not to --exact or transport"));
            }
            Ok(Request::Run { command, data, params, exact: o.exact, width_check: !o.no_width_check, budget: o.budget })
        }
        command @ (Command::Gd | Command::Compare) => {
            if o.exact {
                return Err(usage("--exact applies to path and summary (the infinite-width problem), not to gradient descent"));
            }
            if o.no_width_check {
                return Err(usage("--no-width-check applies to path and summary, not to gradient descent"));
            }
            if o.budget.is_some() {
                return Err(usage("--budget applies to path and summary; gradient descent has --max-steps"));
            }
            let params = options.gd_params(Front::Cli).map_err(options_failure)?;
            Ok(if command == Command::Gd { Request::Gd { data, params } } else { Request::Compare { data, params } })
        }
    }
}

/// `--data FILE` and the target options: `--target NAME|FORMULA` with `--points N` (default
/// 10), `--noise S` (default 0), `--target-seed K` (default 0) and `--target-range LO:HI`
/// (default -2:2) to draw the data from it when no file is given.
fn source(o: &CliOptions) -> Result<Source, Failure> {
    let file = o.data.clone();
    let Some(text) = &o.target else {
        if o.points.is_some() || o.noise.is_some() || o.target_seed.is_some() || o.target_range.is_some() {
            return Err(usage("--points, --noise, --target-seed and --target-range need --target"));
        }
        return Ok(Source { file: Some(file.ok_or_else(|| usage("missing --data FILE (or --target NAME|FORMULA)"))?), target: None });
    };
    let target = Target::parse(text)?;
    let points = o.points.map_or(10, |p| usize::try_from(p).unwrap_or(usize::MAX));
    if points == 0 || points > MAX_POINTS {
        return Err(Failure::Lib(Error::OutOfRange { name: "points", value: points.to_string(), min: "1".into(), max: MAX_POINTS.to_string() }));
    }
    let noise = o.noise.unwrap_or(0.0);
    if !(noise >= 0.0 && noise.is_finite()) {
        return Err(Failure::Lib(Error::OutOfRange { name: "noise", value: noise.to_string(), min: "0".into(), max: "any finite value".into() }));
    }
    let seed = o.target_seed.unwrap_or(0);
    let range = o.target_range.unwrap_or([-2.0, 2.0]);
    if !(range[0] < range[1] && range[0].is_finite() && range[1].is_finite()) {
        return Err(usage(format!("--target-range needs finite LO < HI, got {}:{}", range[0], range[1])));
    }
    Ok(Source { file, target: Some((target, Sampling { points, noise, seed, range })) })
}

/// Reads and validates the data, solves every τ (progress on a terminal), prints the result
/// and one warning line per τ that is not certified.
fn run(command: Command, source: &Source, params: &PathParams, exact: bool, width_check: bool, budget: Option<f64>) -> Result<(), Failure> {
    let data = match source.load_any()? {
        Dataset::Line(data) => data,
        Dataset::Plane(_) if budget.is_some() => return Err(usage("--budget applies to inputs on the line only")),
        Dataset::Plane(data) => return run_plane(command, &data, params, exact),
    };
    let valid = params.check(&data)?;
    let terminal = io::stderr().is_terminal();
    let solved = if exact {
        scaling_path::path::exact::exact_path(&data, &valid, |done, total| {
            if terminal {
                let _ = write!(io::stderr(), "\r\x1b[2Kτ {done}/{total} (infinite width) …");
            }
        })
    } else {
        scaling_path::path::solve_path_within(&data, &valid, budget.map(|b| (seconds as fn() -> f64, b)), |done, total, report: &TauReport| {
            if terminal {
                let _ = write!(io::stderr(), "\r\x1b[2Kτ {done}/{total} (tau = {:.3e}) …", report.tau);
            }
        })
    };
    if terminal {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
    let mut report = solved?;
    if width_check && !exact {
        check_infinite_width(&data, &valid, &mut report, |done, total| {
            if terminal {
                let _ = write!(io::stderr(), "\r\x1b[2Kinfinite-width check {done}/{total} …");
            }
        });
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2K");
        }
    }
    if command == Command::Summary {
        write_stdout(|out| write_summary(out, &report))?;
    } else {
        write_json(&report, path_target(source, &report))?;
    }
    for r in report.path.iter().filter(|r| !r.certified) {
        let e = Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual };
        let why = if r.budget_exhausted { format!(" (its budget of {} s ran out)", budget.unwrap_or(0.0)) } else { String::new() };
        say(&format!("warning: {e}{why}"), 0);
    }
    if !exact {
        if let Some(line) = width_warning(&report, data.max_abs_y().max(1.0)) {
            say(&line, 0);
        }
    }
    Ok(())
}

/// [`run`] for inputs in the plane (finite width): the path as JSON, or its table.
fn run_plane(command: Command, data: &PlaneData, params: &PathParams, exact: bool) -> Result<(), Failure> {
    if exact {
        return Err(usage("--exact solves the infinite-width problem on the line only; inputs in the plane need --width M"));
    }
    let valid = params.check_plane(data)?;
    let terminal = io::stderr().is_terminal();
    let report = plane_path(data, &valid, |done, total| {
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2Kτ {done}/{total} …");
        }
    });
    if terminal {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
    let report = report?;
    if command == Command::Summary {
        write_stdout(|out| write_plane_summary(out, &report))?;
    } else {
        write_json(&report, None)?;
    }
    for r in report.path.iter().filter(|r| !r.certified) {
        let e = Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual };
        say(&format!("warning: {e}"), 0);
    }
    let scale = data.max_abs_y().max(1.0);
    let misses: Vec<&scaling_path::path::plane::PlaneTauReport> =
        report.path.iter().filter(|r| r.infinite_width_residual.is_some_and(|v| v > PROMISED_RESIDUAL * scale)).collect();
    if let Some(worst) = misses.iter().map(|r| r.infinite_width_residual.unwrap_or(0.0)).reduce(f64::max) {
        say(
            &format!(
                "warning: at {} of {} τ the quadrature's α is not the infinite-width solution: integrated with an independent rule its network misses the data by up to {} (more directions, or --width M for a finite network)",
                misses.len(),
                report.path.len(),
                sci(worst)
            ),
            0,
        );
    }
    Ok(())
}

/// The summary table of a path in the plane.
fn write_plane_summary(out: &mut dyn Write, report: &PlanePathReport) -> io::Result<()> {
    writeln!(out, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>9} {:>10}", "tau", "W²/τ²", "primal", "rel.gap", "residual", "split", "certified", "inf.width")?;
    for r in &report.path {
        let cells = [r.tau, r.transport_cost / (r.tau * r.tau), r.primal, r.relative_gap, r.residual].map(sci);
        let certified = if r.certified { "yes" } else { "no" };
        let width = r.infinite_width_residual.map_or("-".to_string(), sci);
        writeln!(out, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>9} {:>10}", cells[0], cells[1], cells[2], cells[3], cells[4], r.split_sources, certified, width)?;
    }
    let worst = |f: fn(&scaling_path::path::plane::PlaneTauReport) -> f64| report.path.iter().map(|r| f(r).abs()).fold(0.0, f64::max);
    writeln!(out, "worst |relative gap| {}, worst residual {}", sci(worst(|r| r.relative_gap)), sci(worst(|r| r.residual)))
}

/// `transport`: the path at every τ (progress on a terminal), then the exact `W²` of its measure
/// at each τ against the initialization at each τ of the same list, as JSON; one warning line
/// per τ that is not certified.
fn run_transport(source: &Source, params: &PathParams, exact: bool) -> Result<(), Failure> {
    use scaling_path::path::transport_table::{plane_transport_table, transport_table};
    if exact {
        return Err(usage("--exact does not apply to transport: the table compares the path's measures with the initial ones at finite width (--width M) or on a quadrature"));
    }
    let terminal = io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2Kτ {done}/{total} …");
        }
    };
    let (table, uncertified) = match source.load_any()? {
        Dataset::Line(data) => {
            let valid = params.check(&data)?;
            let report = scaling_path::solve_path(&data, &valid, |done, total, _: &TauReport| progress(done, total));
            clear_progress(terminal);
            let report = report?;
            let taus: Vec<f64> = report.path.iter().map(|r| r.tau).collect();
            let bad = report.path.iter().filter(|r| !r.certified).map(|r| Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual }).collect::<Vec<_>>();
            (transport_table(&report, &taus)?, bad)
        }
        Dataset::Plane(data) => {
            let valid = params.check_plane(&data)?;
            let report = plane_path(&data, &valid, progress);
            clear_progress(terminal);
            let report = report?;
            let taus: Vec<f64> = report.path.iter().map(|r| r.tau).collect();
            let bad = report.path.iter().filter(|r| !r.certified).map(|r| Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual }).collect::<Vec<_>>();
            (plane_transport_table(&report, &taus)?, bad)
        }
    };
    write_json(&table, None)?;
    for e in uncertified {
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
    let data = source.load_any()?;
    let terminal = io::stderr().is_terminal();
    let progress = |p: Progress| {
        let line = format!("gd: tau {}/{} (tau = {:.3e}): step {}, loss {:.3e}", p.index + 1, p.total, p.tau, p.steps, p.loss);
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2K{line}");
        } else if !p.done && p.steps % GD_LOG_EVERY == 0 {
            say(&line, 0);
        }
    };
    match data {
        Dataset::Line(data) => {
            let valid = params.check(&data)?;
            let report = gd::optimization_path(&data, &valid, progress);
            clear_progress(terminal);
            let report: GdReport = report?;
            write_json(&report, gd_target(source, &report))?;
            warn_gd(&report.runs, report.max_steps);
        }
        Dataset::Plane(data) => {
            let valid = params.check_plane(&data)?;
            let report = gd::plane::plane_optimization_path(&data, &valid, progress);
            clear_progress(terminal);
            let report = report?;
            write_json(&report, None)?;
            warn_gd(&report.runs, report.max_steps);
        }
    }
    Ok(())
}

/// Clears the progress line on a terminal.
fn clear_progress(terminal: bool) {
    if terminal {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
}

/// One warning line per τ whose gradient descent did not converge.
fn warn_gd<N, F>(runs: &[gd::GdRun<N, F>], max_steps: usize) {
    for r in runs.iter().filter(|r| !r.converged) {
        let why = match (&r.stall_reason, r.capped) {
            (_, true) => format!("stopped at the step cap {max_steps}"),
            (Some(reason), false) => format!("stalled after {} steps ({reason})", r.steps),
            (None, false) => format!("stalled after {} steps", r.steps),
        };
        say(&format!("warning: tau = {}: gradient descent {why} with loss {:.3e} (target {:.3e})", r.tau, r.loss, r.target_loss), 0);
    }
}

/// `compare`: the path from the same neurons as gradient descent, every run, and per τ the two
/// costs and the sup distance of the fits; warnings as `path` and `gd` give them.
fn run_compare(source: &Source, params: &GdParams) -> Result<(), Failure> {
    let terminal = io::stderr().is_terminal();
    let progress = |p: Progress| {
        if terminal {
            let _ = write!(io::stderr(), "\r\x1b[2Kgd: tau {}/{} (tau = {:.3e}): step {}, loss {:.3e}", p.index + 1, p.total, p.tau, p.steps, p.loss);
        }
    };
    let data = match source.load_any()? {
        Dataset::Line(data) => data,
        Dataset::Plane(data) => {
            let valid = params.check_plane(&data)?;
            let report = scaling_path::path::compare::compare_plane(&data, &valid, progress);
            clear_progress(terminal);
            let report = report?;
            write_json(&report, None)?;
            for r in report.path.path.iter().filter(|r| !r.certified) {
                let e = Error::NotCertified { tau: r.tau, rel_gap: r.relative_gap, residual: r.residual };
                say(&format!("warning: {e}"), 0);
            }
            warn_gd(&report.gd.runs, report.gd.max_steps);
            return Ok(());
        }
    };
    let valid = params.check(&data)?;
    let report = scaling_path::path::compare::compare(&data, &valid, progress);
    clear_progress(terminal);
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
    warn_gd(&report.gd.runs, report.gd.max_steps);
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

/// One line when the infinite-width check found τ's whose network misses the data by more than
/// [`PROMISED_RESIDUAL`] (the quadrature's error), naming how many and the worst.
fn width_warning(report: &PathReport, scale: f64) -> Option<String> {
    let outside = report.path.iter().filter(|r| r.infinite_width_outside == Some(true)).count();
    let off: Vec<&TauReport> = report.path.iter().filter(|r| r.infinite_width_residual.is_some_and(|v| v > PROMISED_RESIDUAL * scale)).collect();
    if off.is_empty() && outside == 0 {
        return None;
    }
    let mut line = format!("warning: at {} of {} tau the quadrature's alpha is not the infinite-width solution:", off.len() + outside, report.path.len());
    let miss = |r: &TauReport| r.infinite_width_residual.unwrap_or(0.0);
    if let Some(worst) = off.iter().max_by(|a, b| miss(a).total_cmp(&miss(b))) {
        let v = miss(worst);
        line += &format!(" its network misses the data by up to {} ({} × max(1, max|y|)) at tau = {}", sci(v), sci(v / scale), sci(worst.tau));
    }
    if outside > 0 {
        line += &format!("{}{outside} lie outside the infinite-width domain", if off.is_empty() { " " } else { "; " });
    }
    line += "; --exact solves the infinite-width problem";
    Some(line)
}

/// The `summary` table: one line per τ, then the worst relative gap (in size) and residual.
fn write_summary(out: &mut dyn Write, report: &PathReport) -> io::Result<()> {
    writeln!(out, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>9} {:>10}", "tau", "W²/τ²", "primal", "rel.gap", "residual", "split", "certified", "inf.width")?;
    for r in &report.path {
        let cost = r.transport_cost / (r.tau * r.tau);
        let certified = if r.certified { "yes" } else { "no" };
        let cells = [r.tau, cost, r.primal, r.relative_gap, r.residual].map(sci);
        let width = match (r.infinite_width_residual, r.infinite_width_outside) {
            (Some(v), _) => sci(v),
            (None, Some(true)) => "outside".to_string(),
            _ => "-".to_string(),
        };
        writeln!(out, "{:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>9} {:>10}", cells[0], cells[1], cells[2], cells[3], cells[4], r.split_sources, certified, width)?;
    }
    // |·|: a gap may come out slightly negative (round-off); its size is what matters.
    let worst = |f: fn(&TauReport) -> f64| report.path.iter().map(|r| f(r).abs()).fold(0.0, f64::max);
    writeln!(out, "worst |relative gap| {}, worst residual {}", sci(worst(|r| r.relative_gap)), sci(worst(|r| r.residual)))
}
