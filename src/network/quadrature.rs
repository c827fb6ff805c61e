//! Gauss–Legendre rules, computed deterministically (Newton's method on the three-term
//! recurrence, with `libm` for the initial guesses so that natively and in wasm32 the nodes are
//! the same bits).

/// Nodes and weights of the `n`-point Gauss–Legendre rule on `[−1, 1]`, nodes increasing.
/// Exact for polynomials of degree `2n − 1`.
pub fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut nodes = vec![0.0; n];
    let mut weights = vec![0.0; n];
    for i in 0..n.div_ceil(2) {
        // Tricomi's initial guess for the i-th largest root.
        let mut z = libm::cos(std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5));
        let mut dp = 1.0;
        for _ in 0..100 {
            let (p, d) = legendre_and_derivative(n, z);
            dp = d;
            let dz = p / d;
            z -= dz;
            if dz.abs() <= 1e-16 {
                break;
            }
        }
        let (_, d) = legendre_and_derivative(n, z);
        dp = if d != 0.0 { d } else { dp };
        let w = 2.0 / ((1.0 - z * z) * dp * dp);
        nodes[n - 1 - i] = z;
        nodes[i] = -z;
        weights[n - 1 - i] = w;
        weights[i] = w;
    }
    if n % 2 == 1 {
        nodes[n / 2] = 0.0;
    }
    (nodes, weights)
}

/// `(P_n(z), P_n'(z))` by the three-term recurrence.
fn legendre_and_derivative(n: usize, z: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, z);
    if n == 0 {
        return (1.0, 0.0);
    }
    for k in 2..=n {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * z * p1 - (kf - 1.0) * p0) / kf;
        p0 = p1;
        p1 = p2;
    }
    let d = n as f64 * (z * p1 - p0) / (z * z - 1.0);
    (p1, d)
}

/// The `n`-point Gauss–Legendre rule mapped to `[lo, hi]`.
pub fn gauss_legendre_on(n: usize, lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let rule = cached(n);
    let (z, w) = (&rule.0, &rule.1);
    let half = 0.5 * (hi - lo);
    let mid = 0.5 * (hi + lo);
    (z.iter().map(|&t| mid + half * t).collect(), w.iter().map(|&v| half * v).collect())
}

/// A shared Gauss–Legendre rule: nodes and weights on `[−1, 1]`.
type Rule = std::rc::Rc<(Vec<f64>, Vec<f64>)>;

/// [`gauss_legendre`], computed once per `n` per thread: the re-aligned curves ask for the
/// same few rules thousands of times (the cache only ever holds values `gauss_legendre` gave).
fn cached(n: usize) -> Rule {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static RULES: RefCell<HashMap<usize, Rule>> = RefCell::new(HashMap::new());
    }
    RULES.with(|rules| rules.borrow_mut().entry(n).or_insert_with(|| Rc::new(gauss_legendre(n))).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_polynomials_exactly() {
        for n in 1..=40 {
            let (z, w) = gauss_legendre(n);
            for deg in 0..(2 * n) {
                let q: f64 = z.iter().zip(&w).map(|(&t, &v)| v * t.powi(deg as i32)).sum();
                let exact = if deg % 2 == 1 { 0.0 } else { 2.0 / (deg as f64 + 1.0) };
                assert!((q - exact).abs() < 1e-13, "n={n} deg={deg}: {q} vs {exact}");
            }
        }
    }

    #[test]
    fn integrates_cosine_on_interval() {
        let (z, w) = gauss_legendre_on(12, -std::f64::consts::FRAC_PI_2, std::f64::consts::FRAC_PI_2);
        let q: f64 = z.iter().zip(&w).map(|(&t, &v)| v * t.cos()).sum();
        assert!((q - 2.0).abs() < 1e-14);
    }
}
