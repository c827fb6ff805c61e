//! Small dense linear solves (n ≤ a few hundred): Cholesky for the Newton systems, LU with
//! partial pivoting for the square tie systems of the recovery.

use ndarray::Array2;

/// Solves `A x = b` for symmetric positive definite `A` by Cholesky; `None` if a pivot is not
/// positive (relative to the diagonal's scale).
pub fn cholesky_solve(a: &Array2<f64>, b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let mut l = a.clone();
    let scale = (0..n).map(|i| a[[i, i]].abs()).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    for j in 0..n {
        let mut d = l[[j, j]];
        for k in 0..j {
            d -= l[[j, k]] * l[[j, k]];
        }
        if !(d > 1e-15 * scale) {
            return None;
        }
        let d = d.sqrt();
        l[[j, j]] = d;
        for i in (j + 1)..n {
            let mut s = l[[i, j]];
            for k in 0..j {
                s -= l[[i, k]] * l[[j, k]];
            }
            l[[i, j]] = s / d;
        }
    }
    let mut x = b.to_vec();
    for i in 0..n {
        let mut s = x[i];
        for k in 0..i {
            s -= l[[i, k]] * x[k];
        }
        x[i] = s / l[[i, i]];
    }
    for i in (0..n).rev() {
        let mut s = x[i];
        for k in (i + 1)..n {
            s -= l[[k, i]] * x[k];
        }
        x[i] = s / l[[i, i]];
    }
    Some(x)
}

/// Solves the square system `A x = b` by LU with partial pivoting (rows equilibrated first);
/// `None` if `A` is numerically singular.
pub fn lu_solve(a: &Array2<f64>, b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let mut m = a.clone();
    let mut rhs = b.to_vec();
    for i in 0..n {
        let s = m.row(i).iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
        if s == 0.0 {
            return None;
        }
        m.row_mut(i).mapv_inplace(|v| v / s);
        rhs[i] /= s;
    }
    let mut perm: Vec<usize> = (0..n).collect();
    for col in 0..n {
        let (piv, best) = (col..n)
            .map(|r| (r, m[[r, col]].abs()))
            .fold((col, -1.0), |acc, cur| if cur.1 > acc.1 { cur } else { acc });
        if !(best > 1e-14) {
            return None;
        }
        if piv != col {
            for j in 0..n {
                m.swap([piv, j], [col, j]);
            }
            rhs.swap(piv, col);
            perm.swap(piv, col);
        }
        let p = m[[col, col]];
        for r in (col + 1)..n {
            let f = m[[r, col]] / p;
            if f != 0.0 {
                for j in col..n {
                    m[[r, j]] -= f * m[[col, j]];
                }
                rhs[r] -= f * rhs[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = rhs[i];
        for j in (i + 1)..n {
            s -= m[[i, j]] * x[j];
        }
        x[i] = s / m[[i, i]];
    }
    Some(x)
}

/// Least-squares solution of `A x ≈ b` for a tall `A` (`m × k`, `k ≤ m`, full column rank) by
/// Householder QR; `None` if `A` is numerically rank deficient.
pub fn least_squares(a: &Array2<f64>, b: &[f64]) -> Option<Vec<f64>> {
    let (m, k) = a.dim();
    if k > m {
        return None;
    }
    let mut r = a.clone();
    let mut qtb = b.to_vec();
    let scale = r.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
    for j in 0..k {
        let norm: f64 = (j..m).map(|i| r[[i, j]] * r[[i, j]]).sum::<f64>().sqrt();
        if !(norm > 1e-14 * scale) {
            return None;
        }
        let alpha = if r[[j, j]] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = (j..m).map(|i| r[[i, j]]).collect();
        v[0] -= alpha;
        let vnorm2: f64 = v.iter().map(|x| x * x).sum();
        if vnorm2 == 0.0 {
            continue;
        }
        for c in j..k {
            let dot: f64 = (j..m).map(|i| v[i - j] * r[[i, c]]).sum();
            let f = 2.0 * dot / vnorm2;
            for i in j..m {
                r[[i, c]] -= f * v[i - j];
            }
        }
        let dot: f64 = (j..m).map(|i| v[i - j] * qtb[i]).sum();
        let f = 2.0 * dot / vnorm2;
        for i in j..m {
            qtb[i] -= f * v[i - j];
        }
    }
    let mut x = vec![0.0; k];
    for i in (0..k).rev() {
        let mut s = qtb[i];
        for j in (i + 1)..k {
            s -= r[[i, j]] * x[j];
        }
        x[i] = s / r[[i, i]];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_spd_and_general_systems() {
        let a = ndarray::arr2(&[[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]);
        let x = [1.0, -2.0, 0.5];
        let b: Vec<f64> = (0..3).map(|i| (0..3).map(|j| a[[i, j]] * x[j]).sum()).collect();
        let c = cholesky_solve(&a, &b).unwrap();
        let l = lu_solve(&a, &b).unwrap();
        for i in 0..3 {
            assert!((c[i] - x[i]).abs() < 1e-14);
            assert!((l[i] - x[i]).abs() < 1e-14);
        }
        let g = ndarray::arr2(&[[0.0, 2.0], [1.0, 1.0]]);
        let s = lu_solve(&g, &[4.0, 3.0]).unwrap();
        assert!((s[0] - 1.0).abs() < 1e-15 && (s[1] - 2.0).abs() < 1e-15);
        assert!(lu_solve(&ndarray::arr2(&[[1.0, 2.0], [2.0, 4.0]]), &[1.0, 2.0]).is_none());
        assert!(cholesky_solve(&ndarray::arr2(&[[1.0, 2.0], [2.0, 1.0]]), &[1.0, 2.0]).is_none());
    }

    #[test]
    fn least_squares_matches_normal_equations() {
        // Fit a line through (0, 1), (1, 3), (2, 4): normal equations give slope 1.5, intercept 7/6.
        let a = ndarray::arr2(&[[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]);
        let x = least_squares(&a, &[1.0, 3.0, 4.0]).unwrap();
        assert!((x[0] - 1.5).abs() < 1e-14 && (x[1] - 7.0 / 6.0).abs() < 1e-14);
        assert!(least_squares(&ndarray::arr2(&[[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]), &[1.0, 2.0, 3.0]).is_none());
    }
}
