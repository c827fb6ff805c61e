//! The browser bindings (compiled for `wasm32` only): a thin `wasm-bindgen` layer over the core,
//! used by the lab's module worker (`www/worker.js`, protocol in `www/PROTOCOL.md`).
//!
//! No mathematics lives here. A plain JS object (the protocol's `config`) comes in through
//! `serde-wasm-bindgen` as a [`Data`] and the core's [`Options`], whose one conversion (the
//! CLI's too) gives a [`PathParams`]; both go through the core's one validation path
//! ([`Data::new`], [`PathParams::check`]) — the same rules and messages as the CLI, the options
//! named as the protocol spells them (`config.tauMin`). Reports go out in the CLI's serde schema
//! under the transport rules of [`to_js`] (camelCase keys; numbers in bulk as fresh flat
//! `Float64Array`s, copies, so no view of `memory.buffer` outlives a call); errors go out as JS `Error`s carrying the
//! core's one-line message. A panic is reported by [`panic_hook`] (see [`take_panic`]).
//!
//! ```js
//! const s = new PathSession({x: [0, 1], y: [1, 0], tauMin: 0.01, tauMax: 100, tauCount: 9, tau: 1});
//! const init = s.init();                   // {law, symmetric, kind, count, seed?, weights, neurons}
//! const selected = s.solveSelected(prevTau, prevAlpha); // the selected τ, warm-started (optional)
//! for (let r; (r = s.step()) !== undefined;) { … }       // the path, from the largest τ down
//! s.free();
//! const g = new GdSession({...config, directions: null, width: 400, seed: 1, maxSteps: 1e5});
//! while (!g.finished()) g.advance(1000);  // then g.run(): the final network and its fit
//! ```

use crate::gd::{GradientDescent, Status as GdStatus, init_report as gd_init_report};
use crate::input::data::Data;
use crate::input::error::Error;
use crate::input::options::{Front, GridOption, Options, PathPlan};
use crate::input::params::{Grid, PathParams, ValidPathParams};
use crate::input::target::Target;
use crate::network::init::InitialMeasure;
use crate::path::report::{Fit, InitReport};
use crate::path::ScalingPath;
use crate::path::exact::ExactPath;
use crate::path::split::Split;
use js_sys::{Float64Array, Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

mod panic;
mod to_js;

pub use panic::{panic_for_testing, take_panic};

/// The protocol's `config`: the data `x`, `y` (required), and the options (every field may be
/// missing or `null`: it then takes the CLI's default; unknown fields are ignored), converted by
/// the core's [`Options`] as the CLI's.
struct Parsed {
    data: Config,
    options: Options,
}

/// The protocol's `config.x`, `config.y` (its shape errors name it `Config`, the protocol's
/// object).
#[derive(Debug, Deserialize)]
struct Config {
    x: Vec<f64>,
    y: Vec<f64>,
}

/// A count from JS as a `usize` (wasm32's is 32 bits): larger values saturate, and the core's
/// range check then rejects them.
fn count(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// The protocol's `config` as [`Parsed`]: the data first, then the options.
fn parse_config(config: JsValue) -> Result<Parsed, JsError> {
    let shape = |e: serde_wasm_bindgen::Error| JsError::new(&format!("config: {}", e.to_string().trim_start_matches("Error: ")));
    let data = serde_wasm_bindgen::from_value(config.clone()).map_err(shape)?;
    let options = serde_wasm_bindgen::from_value(config).map_err(shape)?;
    Ok(Parsed { data, options })
}

/// The protocol's `config` of a path: its data, the core's plan of the path and the checked
/// parameters (the core's messages as JS `Error`s).
fn checked_path(config: JsValue) -> Result<(Data, PathPlan, ValidPathParams), JsError> {
    let Parsed { data, options } = parse_config(config)?;
    let data = Data::new(data.x, data.y).map_err(js_error)?;
    let plan = options.path_plan(Front::Protocol).map_err(js_error)?;
    let valid = plan.params.check(&data).map_err(js_error)?;
    Ok((data, plan, valid))
}

/// The page's clock in seconds (`Date.now`), for the budgets of [`PathSession::set_budget`].
fn page_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// The core's error as a JS `Error` with its message.
fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// `obj[key] = value` on a plain object (cannot fail there).
fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// A report of the core as the protocol's object: its serde schema under the transport rules
/// of [`to_js`] (camelCase keys, numbers in bulk as flat `Float64Array`s).
fn js<T: Serialize>(report: &T) -> Result<JsValue, JsError> {
    to_js::to_js(report).map_err(|e| JsError::new(&format!("internal error: a report has no JS form: {e}")))
}

/// A validated scaling-path computation, stepped one τ per call so that the worker can yield
/// (and be superseded) between τ values.
#[wasm_bindgen]
pub struct PathSession {
    selected: f64,
    path: ScalingPath,
    /// The split chosen for `config.part: 'auto'` (this session is then its lower part).
    split: Option<Split>,
}

#[wasm_bindgen]
impl PathSession {
    /// Validates `config` (the protocol's object) and prepares the path; throws an `Error`
    /// with the core's message on bad input.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<PathSession, JsError> {
        let (data, PathPlan { params, selected, ascending, split }, valid) = checked_path(config)?;
        // The selected τ goes through the same check (as a one-τ path).
        PathParams { taus: vec![selected], ..params.clone() }.check(&data).map_err(js_error)?;
        let mut path = ScalingPath::new(&data, &valid).map_err(js_error)?;
        if ascending {
            path.solve_upward();
        }
        Ok(PathSession { selected, path, split })
    }

    /// Where the CLI's path (`solve_path`) splits these τ's into two chains: the smallest τ of
    /// the upper one (`undefined`: one chain). Two sessions cut there (`part` 'upper' and
    /// 'lower' with that τ selected) compute the CLI's numbers.
    #[wasm_bindgen(js_name = chainSplitTau)]
    pub fn chain_split_tau(&self) -> Option<f64> {
        self.path.chain_split_tau()
    }

    /// For `config.part: 'auto'`: the split the core chose, `{splitTau}` (`undefined` when the
    /// upper part begins at the selected τ), this session being its lower part; `undefined` when
    /// the path is not split (this session solves all of it). See `path::split`.
    pub fn split(&self) -> Option<Object> {
        self.split.map(|s| {
            let obj = Object::new();
            if let Some(t) = s.split_tau {
                set(&obj, "splitTau", t);
            }
            obj
        })
    }

    /// The initial measure at scale 1.
    pub fn init(&self) -> Result<JsValue, JsError> {
        js(&self.path.init_report())
    }

    /// Gives each τ solved from now on at most `seconds` of the page's clock (`Date.now`), its
    /// warm-up included: a τ not certified by then is reported with the best measure found,
    /// uncertified and with `budgetExhausted: true` (see [`ScalingPath::set_budget`]). Throws
    /// unless `0 < seconds ≤ 86 400` ([`crate::input::params::check_budget`]).
    #[wasm_bindgen(js_name = setBudget)]
    pub fn set_budget(&mut self, seconds: f64) -> Result<(), JsError> {
        let seconds = crate::input::params::check_budget(seconds).map_err(js_error)?;
        self.path.set_budget(page_seconds, seconds);
        Ok(())
    }

    /// Number of τ values of the path.
    pub fn len(&self) -> usize {
        self.path.len()
    }

    /// Never true for a validated session (the path has at least one τ).
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.path.is_empty()
    }

    /// Number of τ values of the path solved so far.
    pub fn done(&self) -> usize {
        self.path.done()
    }

    /// The selected τ.
    #[wasm_bindgen(getter, js_name = selectedTau)]
    pub fn selected_tau(&self) -> f64 {
        self.selected
    }

    /// Seeds the path's warm start with `alpha` known at `tau` (the selected τ solved by
    /// another worker, for the lower part of a split path; see
    /// [`ScalingPath::seed_warm_start`]). Returns whether the seed was taken.
    pub fn seed(&mut self, tau: f64, alpha: Vec<f64>) -> bool {
        self.path.seed_warm_start(tau, &alpha)
    }

    /// Solves the next τ of the path (largest first); `undefined` when all are done.
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        self.path.step().map_or(Ok(JsValue::UNDEFINED), |r| js(&r))
    }

    /// The two regimes the path runs between, on its grid: `{kernel, rich}`, each `undefined`
    /// when the core has none (a singular kernel matrix; a failed rich solve). Computed once.
    pub fn limits(&mut self) -> Result<Object, JsError> {
        let (kernel, rich) = self.path.limits_report();
        let obj = Object::new();
        set(&obj, "kernel", js(&kernel)?);
        set(&obj, "rich", js(&rich)?);
        Ok(obj)
    }

    /// Solves the selected τ on its own (the path is not advanced; see
    /// [`ScalingPath::solve_single`]), warm-started from `warmAlpha` known at `warmTau` when both
    /// are given and fit the data (see [`ScalingPath::seed_warm_start`]; a seed of another length
    /// is ignored). Its report has the distances to the limits, which the session keeps.
    #[wasm_bindgen(js_name = solveSelected)]
    pub fn solve_selected(&mut self, warm_tau: Option<f64>, warm_alpha: Option<Vec<f64>>) -> Result<JsValue, JsError> {
        let seed = warm_tau.zip(warm_alpha.as_deref());
        js(&self.path.solve_single(self.selected, seed, true))
    }

    /// The selected τ solved cold and without the distances to the limits (they are not
    /// computed): the page's quick first look.
    #[wasm_bindgen(js_name = previewSelected)]
    pub fn preview_selected(&mut self) -> Result<JsValue, JsError> {
        js(&self.path.solve_single(self.selected, None, false))
    }
}

/// The infinite-width problem solved as such (MATH §11, `src/continuum/`), one τ at a time:
/// `scaling-path path --exact` in the browser. Its reports carry `integrationError` (of
/// `f(X)`) and `fitError` (of the curve) beside the certificate, and `fitSource: 'continuum'`.
#[wasm_bindgen]
pub struct ExactSession {
    exact: ExactPath,
}

#[wasm_bindgen]
impl ExactSession {
    /// Validates `config` (the protocol's object, a quadrature: `directions` not null) through
    /// the same checks as `PathSession` and `--exact` (distinct abscissas, a supported law);
    /// throws an `Error` with the core's message on bad input.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ExactSession, JsError> {
        let (data, _, valid) = checked_path(config)?;
        Ok(ExactSession { exact: ExactPath::new(&data, &valid).map_err(js_error)? })
    }

    /// `tau` solved from `alpha` (e.g. the discretized path's α at that τ; pulled toward 0 until
    /// it is in the domain): a report as `PathSession.step`'s.
    pub fn solve(&mut self, tau: f64, alpha: Vec<f64>) -> Result<JsValue, JsError> {
        js(&self.exact.solve(tau, &alpha).map_err(js_error)?)
    }

    /// How far the network of `alpha` (the discretized path's at `tau`) misses the data at
    /// infinite width — the CLI's check of a quadrature path: `{infiniteWidthResidual,
    /// infiniteWidthError}` or `{infiniteWidthOutside: true}`.
    pub fn check(&self, tau: f64, alpha: Vec<f64>) -> Result<JsValue, JsError> {
        js(&self.exact.check(tau, &alpha).map_err(js_error)?)
    }
}

/// Gradient descent at the selected τ from `width` sampled neurons (MATH §3, `src/gd/mod.rs`),
/// advanced by step budgets so that the worker can report progress and yield between them.
#[wasm_bindgen]
pub struct GdSession {
    gd: GradientDescent,
    init: InitReport,
    grid: Vec<f64>,
    max_steps: usize,
}

#[wasm_bindgen]
impl GdSession {
    /// Validates `config` (the protocol's object with `width`, `seed`, `tau`, `maxSteps`)
    /// through `GdParams::check` and prepares the run; throws an `Error` on bad input.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<GdSession, JsError> {
        let Parsed { data, options } = parse_config(config)?;
        let params = options.gd_params(Front::Protocol).map_err(js_error)?;
        let data = Data::new(data.x, data.y).map_err(js_error)?;
        let valid = params.check(&data).map_err(js_error)?;
        let path = valid.path_params();
        let init = InitialMeasure::new(path.law(), path.symmetric(), path.width(), &data.x).map_err(js_error)?;
        let gd = GradientDescent::new(&data.x, &data.y, &init, path.taus()[0]).map_err(js_error)?;
        Ok(GdSession { gd, init: gd_init_report(&init), grid: path.grid().points(), max_steps: valid.max_steps() })
    }

    /// The sampled initial neurons (at scale 1), as `PathSession.init()`.
    pub fn init(&self) -> Result<JsValue, JsError> {
        js(&self.init)
    }

    /// Takes up to `k` more steps (never beyond the budget); returns the steps taken so far.
    pub fn advance(&mut self, k: usize) -> usize {
        self.gd.advance(k.min(self.max_steps.saturating_sub(self.gd.steps())));
        self.gd.steps()
    }

    /// Steps taken so far.
    pub fn steps(&self) -> usize {
        self.gd.steps()
    }

    /// The current loss `L = (1/2n) Σ_i r_i²`.
    pub fn loss(&self) -> f64 {
        self.gd.loss()
    }

    /// True when the run has converged, stalled, or used its step budget.
    pub fn finished(&self) -> bool {
        self.gd.status() != GdStatus::Running || self.gd.steps() >= self.max_steps
    }

    /// The run: the CLI's `GdRun` (`src/gd/mod.rs`) under the transport rules of [`to_js`].
    pub fn run(&self) -> Result<JsValue, JsError> {
        js(&self.gd.report(&self.grid, self.max_steps))
    }
}

/// The protocol's `target` request: `{target, points, noise, seed, range: [lo, hi], grid}`.
#[derive(Debug, Deserialize)]
struct TargetConfig {
    target: String,
    points: u64,
    noise: f64,
    seed: u64,
    range: [f64; 2],
    grid: GridOption,
}

/// Points drawn from a target and the target on the grid, as the protocol's `sample`.
#[derive(Serialize)]
struct TargetSample<'a> {
    name: &'a str,
    formula: &'a str,
    x: &'a [f64],
    y: &'a [f64],
    fit: Fit,
}

/// Points drawn from a target (named, or a formula in `x`, parsed by the core — never
/// evaluated as code) and the target on the grid: `{name, formula, x, y, fit: {x, y}}`. Throws the
/// core's message for a target, a count or a range that does not work.
#[wasm_bindgen(js_name = sampleTarget)]
pub fn sample_target(config: JsValue) -> Result<JsValue, JsError> {
    let c: TargetConfig = serde_wasm_bindgen::from_value(config).map_err(|e| JsError::new(&format!("target: {}", e.to_string().trim_start_matches("Error: "))))?;
    let target = Target::parse(&c.target).map_err(js_error)?;
    let points = count(c.points);
    if points == 0 || points > crate::input::params::MAX_POINTS {
        let max = crate::input::params::MAX_POINTS.to_string();
        return Err(js_error(Error::OutOfRange { name: "points", value: points.to_string(), min: "1".into(), max }));
    }
    if !(c.noise >= 0.0 && c.noise.is_finite()) {
        return Err(js_error(Error::OutOfRange { name: "noise", value: c.noise.to_string(), min: "0".into(), max: "any finite value".into() }));
    }
    let [lo, hi] = c.range;
    if !(lo < hi && lo.is_finite() && hi.is_finite()) {
        return Err(js_error(Error::BadTarget(format!("the target's range needs finite lo < hi, got {lo}:{hi}"))));
    }
    let data = target.sample(points, lo, hi, c.noise, c.seed).map_err(js_error)?;
    let grid = Grid { min: c.grid.min, max: c.grid.max, count: count(c.grid.count) }.check().map_err(js_error)?.points();
    let g: Vec<f64> = grid.iter().map(|&x| target.eval(x)).collect();
    js(&TargetSample { name: &target.name, formula: &target.formula, x: &data.x, y: &data.y, fit: Fit { x: grid, y: g } })
}

/// The RMS of `fit − g` over the points of `grid` within `[lo, hi]` (the core's test error;
/// NaN when none is there). Throws the core's message for a target that does not parse.
#[wasm_bindgen(js_name = testError)]
pub fn test_error(target: &str, lo: f64, hi: f64, grid: &[f64], fit: &[f64]) -> Result<f64, JsError> {
    let target = Target::parse(target).map_err(js_error)?;
    Ok(target.test_error_within(grid, fit, [lo, hi]))
}

/// The target `g` on `grid`.
#[wasm_bindgen(js_name = targetCurve)]
pub fn target_curve(target: &str, grid: &[f64]) -> Result<Float64Array, JsError> {
    let target = Target::parse(target).map_err(js_error)?;
    let g: Vec<f64> = grid.iter().map(|&x| target.eval(x)).collect();
    Ok(Float64Array::from(g.as_slice()))
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
