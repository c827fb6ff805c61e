//! Target functions for the generalization experiments: the parser against closures written
//! here, its precedence rules, hostile text refused with a message, and seeded sampling.

use scaling_path::input::target::{MAX_DEPTH, MAX_FORMULA, NAMED, Target};

const XS: [f64; 7] = [-2.0, -1.3, -0.4, 0.0, 0.3, 1.1, 2.5];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-14 * (1.0 + b.abs())
}

#[test]
fn formulas_evaluate_as_written() {
    type Case = (&'static str, fn(f64) -> f64);
    let cases: [Case; 9] = [
        ("2*x^2 - 3", |x| 2.0 * x * x - 3.0),
        ("sin(pi*x)/2 + cos(x)", |x| (std::f64::consts::PI * x).sin() / 2.0 + x.cos()),
        ("-x^2", |x| -(x * x)),
        ("2^3^x", |x| 2f64.powf(3f64.powf(x))),
        ("exp(-4*x^2)", |x| (-4.0 * x * x).exp()),
        ("abs(x) - 0.5", |x| x.abs() - 0.5),
        ("relu(x - 0.3) - 0.3*x", |x| (x - 0.3).max(0.0) - 0.3 * x),
        ("tanh(3 * x) * e", |x| (3.0 * x).tanh() * std::f64::consts::E),
        ("1.5e-1 * (x + 2) / (1 + x^2)", |x| 0.15 * (x + 2.0) / (1.0 + x * x)),
    ];
    for (text, f) in cases {
        let t = Target::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        for x in XS {
            assert!(close(t.eval(x), f(x)), "{text} at {x}: {} vs {}", t.eval(x), f(x));
        }
    }
}

#[test]
fn named_targets_are_their_formulas() {
    for (name, formula) in NAMED {
        let (a, b) = (Target::parse(name).unwrap(), Target::parse(formula).unwrap());
        assert_eq!((a.name.as_str(), a.formula.as_str()), (name, formula));
        for x in XS {
            assert_eq!(a.eval(x), b.eval(x), "{name}");
        }
    }
    let step = Target::parse("step").unwrap();
    assert_eq!((step.eval(-0.1), step.eval(0.0), step.eval(2.0)), (-0.5, 0.5, 0.5));
}

#[test]
fn hostile_or_broken_text_is_refused_with_where_it_stopped() {
    let cases = [
        ("alert(1)", "unknown name 'alert'"),
        ("x; rm -rf /", "unexpected text after the formula at character 2"),
        ("constructor", "unknown name 'constructor'"),
        ("__proto__", "unexpected '_'"),
        ("x.constructor", "unexpected text after the formula"),
        ("<script>", "unexpected '<'"),
        ("sin x", "'(' expected after sin"),
        ("(x + 1", "')' expected"),
        ("x +", "a number, x, a function or '(' expected at character 4 (near the end)"),
        ("1e999", "'1e999' is not a number"),
        ("", "the target is empty"),
    ];
    for (text, want) in cases {
        let err = Target::parse(text).expect_err(text).to_string();
        assert!(err.contains(want), "{text}: {err}");
    }
    let deep = format!("{}x{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
    assert!(Target::parse(&deep).unwrap_err().to_string().contains("levels of nesting"));
    let long = "x+".repeat(MAX_FORMULA);
    assert!(Target::parse(&long).unwrap_err().to_string().contains("longer than 200 characters"));
    // A deep but allowed formula parses.
    let ok = format!("{}x{}", "(".repeat(MAX_DEPTH - 1), ")".repeat(MAX_DEPTH - 1));
    assert_eq!(Target::parse(&ok).unwrap().eval(0.25), 0.25);
}

#[test]
fn sampling_is_seeded_sorted_and_noisy_as_asked() {
    let t = Target::parse("sine").unwrap();
    let clean = t.sample(50, -2.0, 2.0, 0.0, 7).unwrap();
    assert!(clean.x.windows(2).all(|w| w[0] <= w[1]) && clean.x.iter().all(|&x| (-2.0..=2.0).contains(&x)));
    assert!(clean.x.iter().zip(&clean.y).all(|(&x, &y)| y == t.eval(x)));
    let a = t.sample(2000, -2.0, 2.0, 0.3, 7).unwrap();
    assert_eq!(a, t.sample(2000, -2.0, 2.0, 0.3, 7).unwrap(), "the same seed, the same points");
    assert_ne!(a, t.sample(2000, -2.0, 2.0, 0.3, 8).unwrap());
    // The noise: mean ~0 and standard deviation ~0.3 (2000 draws: within 5 standard errors).
    let r: Vec<f64> = a.x.iter().zip(&a.y).map(|(&x, &y)| y - t.eval(x)).collect();
    let mean = r.iter().sum::<f64>() / r.len() as f64;
    let sd = (r.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / r.len() as f64).sqrt();
    assert!(mean.abs() < 5.0 * 0.3 / (2000f64).sqrt(), "mean {mean}");
    assert!((sd - 0.3).abs() < 5.0 * 0.3 / (2.0 * 2000f64).sqrt(), "sd {sd}");
    assert!(Target::parse("log(x)").unwrap().sample(10, -1.0, 1.0, 0.0, 1).unwrap_err().to_string().contains("not finite"));
}

#[test]
fn test_error_is_the_rms_over_the_grid() {
    let t = Target::parse("x").unwrap();
    let grid = [0.0, 1.0, 2.0, 3.0];
    assert_eq!(t.test_error(&grid, &[0.0, 1.0, 2.0, 3.0]), 0.0);
    assert!(close(t.test_error(&grid, &[1.0, 2.0, 3.0, 4.0]), 1.0));
    assert!(close(t.test_error(&grid, &[0.0, 1.0, 2.0, 5.0]), 1.0));
}
