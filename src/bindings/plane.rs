//! The browser bindings for inputs in the plane: a second WebAssembly module
//! (`cargo build --features plane`, built by `scripts/build-wasm.sh` into `www/pkg-plane/`), which
//! the lab's plane worker (`www/plane-worker.js`) loads when the data turn two-dimensional. A
//! module of its own keeps the line's module within its size budget: the plane's solver is the
//! same generic code monomorphized for [`crate::dual::plane::Plane`].
//!
//! The same rules as the line's bindings (`src/bindings/mod.rs`): the protocol's plain object in
//! (`x` as pairs `[[x₁, x₂], …]`, `y`, and the options the line's protocol names), through the
//! core's one conversion ([`Options`]) and checks ([`PlaneData::new`],
//! [`crate::PathParams::check_plane`]); reports out in the CLI's serde schema under the transport
//! rules of `to_js` (camelCase keys; numbers in bulk — the rows, the fit's grid `f` — as flat
//! row-major `Float64Array`s).
//!
//! ```js
//! const s = new PlanePathSession({x: [[0, 1], [1, 0]], y: [1, -1], width: 400, seed: 1, law: 'balanced',
//!                                 tauMin: 0.01, tauMax: 100, tauCount: 13, gridPoints: 101});
//! const init = s.init();                       // {law, symmetric, kind, count, seed, weights, neurons}
//! const limits = s.limits();  // {kernelLimit, richLimit, distances}: after the first τ, so that it comes first
//! for (let r; (r = s.step()) !== undefined;) { … } // one τ per call, in PlanePath's order
//! const table = s.transportTable(0.1, 100);   // the paper's table over the solved τ in [0.1, 100]
//! const g = new PlaneGdSession({...config, tau: 1, maxSteps: 1e5});
//! while (!g.finished()) g.advance(1000);      // then g.run(): the final network and its fit
//! ```

use crate::gd::GdSettings;
use crate::gd::plane::PlaneGradientDescent;
use crate::input::error::Error;
use crate::input::options::{Front, Options};
use crate::input::plane_data::PlaneData;
use crate::limits::plane_rich::PlaneRichLimit;
use crate::path::plane::{PlaneFit, PlaneInitReport, PlanePath, PlanePathReport, PlaneTauReport, plane_grid_of, plane_init};
use crate::path::report::KernelLimitReport;
use crate::path::transport_table::plane_transport_table;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[path = "panic.rs"]
mod panic;
#[path = "to_js.rs"]
mod to_js;

pub use panic::{panic_for_testing, take_panic};

/// Most grid points per axis of the drawn fit.
pub const MAX_GRID_POINTS: usize = 301;

/// The protocol's `config.x`, `config.y` in the plane, and the grid's resolution.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    x: Vec<[f64; 2]>,
    y: Vec<f64>,
    grid_points: Option<u32>,
}

fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

fn js<T: Serialize>(report: &T) -> Result<JsValue, JsError> {
    to_js::to_js(report).map_err(|e| JsError::new(&format!("internal error: a report has no JS form: {e}")))
}

/// The data, the options and the grid's resolution of `config`.
fn parse(config: JsValue) -> Result<(PlaneData, Options, usize), JsError> {
    let shape = |e: serde_wasm_bindgen::Error| JsError::new(&format!("config: {}", e.to_string().trim_start_matches("Error: ")));
    let c: Config = serde_wasm_bindgen::from_value(config.clone()).map_err(shape)?;
    let options: Options = serde_wasm_bindgen::from_value(config).map_err(shape)?;
    let points = match c.grid_points {
        None => crate::path::plane::GRID_POINTS,
        Some(n) if (2..=MAX_GRID_POINTS as u32).contains(&n) => n as usize,
        Some(n) => {
            return Err(js_error(Error::OutOfRange { name: "grid points", value: n.to_string(), min: "2".into(), max: MAX_GRID_POINTS.to_string() }));
        }
    };
    Ok((PlaneData::new(c.x, c.y).map_err(js_error)?, options, points))
}

/// [`PlanePathSession::limits`]'s reply.
#[derive(Serialize)]
struct Limits {
    kernel_limit: Option<KernelLimitReport<PlaneFit>>,
    rich_limit: Option<PlaneRichLimit>,
    distances: Vec<Distances>,
}

/// A τ's distances to the limits.
#[derive(Serialize)]
struct Distances {
    tau: f64,
    kernel_distance: Option<f64>,
    rich_distance: Option<f64>,
}

/// A scaling path in the plane, one τ per [`step`](Self::step).
#[wasm_bindgen]
pub struct PlanePathSession {
    path: PlanePath,
    data: PlaneData,
    lambda: f64,
    /// The τ's solved so far (for the transport table).
    solved: Vec<PlaneTauReport>,
}

#[wasm_bindgen]
impl PlanePathSession {
    /// Validates `config` and prepares the path; throws an `Error` with the core's message on
    /// bad input.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<PlanePathSession, JsError> {
        let (data, options, points) = parse(config)?;
        let plan = options.path_plan(Front::Protocol).map_err(js_error)?;
        let valid = plan.params.check_plane(&data).map_err(js_error)?;
        let mut path = PlanePath::new(&data, &valid).map_err(js_error)?;
        path.set_grid_points(&data, points);
        path.set_lazy_limits();
        Ok(PlanePathSession { path, data, lambda: valid.lambda(), solved: Vec::new() })
    }

    /// The initial measure at scale 1.
    pub fn init(&self) -> Result<JsValue, JsError> {
        js(&self.path.init)
    }

    /// Number of τ.
    pub fn len(&self) -> usize {
        self.path.len()
    }

    /// Whether there is no τ.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.path.is_empty()
    }

    /// Both limits (the CLI's `kernel_limit` and `rich_limit`, each `undefined` when there is
    /// none), computed now, and the distances to them of the τ's solved so far, which were
    /// solved before the limits: `{kernelLimit, richLimit, distances: [{tau, kernelDistance,
    /// richDistance}]}`. Every later τ carries its own.
    pub fn limits(&mut self) -> Result<JsValue, JsError> {
        let mut solved = std::mem::take(&mut self.solved);
        for r in &mut solved {
            self.path.measure_distances(r);
        }
        let distances: Vec<Distances> = solved.iter().map(|r| Distances { tau: r.tau, kernel_distance: r.kernel_distance, rich_distance: r.rich_distance }).collect();
        self.solved = solved;
        js(&Limits { kernel_limit: self.path.kernel_limit(), rich_limit: self.path.rich_limit(), distances })
    }

    /// The next τ as the CLI's `PlaneTauReport` (in the order of `PlanePath`: the upper half of
    /// the τ's from the largest down, then the lower half likewise), or `undefined` when done.
    pub fn step(&mut self) -> Result<JsValue, JsError> {
        match self.path.step() {
            Some(r) => {
                let out = js(&r);
                self.solved.push(r);
                out
            }
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The exact transport costs `W²(ν_τ, τ'μ0)` between the path's measures at the solved τ's
    /// within `[lo, hi]` and the initialization at the same scales: the CLI's `transport` table.
    #[wasm_bindgen(js_name = transportTable)]
    pub fn transport_table(&self, lo: f64, hi: f64) -> Result<JsValue, JsError> {
        let mut path: Vec<PlaneTauReport> = self.solved.iter().filter(|r| r.tau >= lo && r.tau <= hi).cloned().collect();
        path.sort_by(|a, b| a.tau.total_cmp(&b.tau));
        let taus: Vec<f64> = path.iter().map(|r| r.tau).collect();
        let report = PlanePathReport { dim: 2, data: self.data.clone(), lambda: self.lambda, init: self.path.init.clone(), path, kernel_limit: None, rich_limit: None };
        js(&plane_transport_table(&report, &taus).map_err(js_error)?)
    }
}

/// Gradient descent in the plane at one τ from `width` sampled neurons, advanced by step budgets.
#[wasm_bindgen]
pub struct PlaneGdSession {
    gd: PlaneGradientDescent,
    init: PlaneInitReport,
    grid: (Vec<f64>, Vec<f64>),
    max_steps: usize,
}

#[wasm_bindgen]
impl PlaneGdSession {
    /// Validates `config` (with `width`, `seed`, `tau`, `maxSteps`) and prepares the run.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<PlaneGdSession, JsError> {
        let (data, options, points) = parse(config)?;
        let params = options.gd_params(Front::Protocol).map_err(js_error)?;
        let valid = params.check_plane(&data).map_err(js_error)?;
        let path = valid.path_params();
        let init = plane_init(path).map_err(js_error)?;
        let gd = PlaneGradientDescent::new(&data, &init.neurons, &init.weights, path.taus()[0], GdSettings::default()).map_err(js_error)?;
        let grid = plane_grid_of(&data, points);
        Ok(PlaneGdSession { gd, init, grid, max_steps: valid.max_steps() })
    }

    /// The sampled initial neurons (at scale 1).
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

    /// The current loss.
    pub fn loss(&self) -> f64 {
        self.gd.loss()
    }

    /// True when the run has converged, stalled, or used its step budget.
    pub fn finished(&self) -> bool {
        self.gd.status() != crate::gd::Status::Running || self.gd.steps() >= self.max_steps
    }

    /// The run: the CLI's `GdRun` in the plane (neurons `[a, w₁, w₂, b]`, the fit on the grid).
    pub fn run(&self) -> Result<JsValue, JsError> {
        js(&self.gd.report(&self.grid, self.max_steps))
    }
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
