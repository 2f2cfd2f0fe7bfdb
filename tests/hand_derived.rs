//! Jacobians derived by hand, checked against every exact strategy to 1e-14 relative
//! (1e-15·max|J| on zeros) and against complex step.

mod common;
use common::*;
use jacobian_playground::core::Strategy;

fn check(src: &str, x: &[f64], want: Vec<Vec<f64>>) {
    check_ad(src, x, &want);
    let t = tape(src);
    assert_close(&jac(&t, x, Strategy::ComplexStep), &want, 1e-13, 1e-15, &format!("{src} [complex step]"));
}

/// AD only: at a kink (ties, abs at 0) complex step has no single answer.
fn check_ad(src: &str, x: &[f64], want: &[Vec<f64>]) {
    let t = tape(src);
    for s in EXACT {
        assert_close(&jac(&t, x, s), want, 1e-14, 1e-15, &format!("{src} [{}]", s.name()));
    }
}

#[test]
fn classic_worked_example() {
    check(
        "f(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]",
        &[3.0, 4.0, 5.0],
        vec![vec![1.0, 1.0, 0.0], vec![5.0, 0.0, 3.0], vec![0.0, 48.0, 0.0]],
    );
}

#[test]
fn arithmetic_and_powers() {
    let (x, y) = (1.7f64, -0.6f64);
    check(
        "f(x, y) = [x*y, x/y, x - y, -x]",
        &[x, y],
        vec![vec![y, x], vec![1.0 / y, -x / (y * y)], vec![1.0, -1.0], vec![-1.0, 0.0]],
    );
    check(
        "f(x) = [x^3, x^-2, (-x)^2, x^0]",
        &[y],
        vec![vec![3.0 * y * y], vec![-2.0 * y.powi(-3)], vec![2.0 * y], vec![0.0]],
    );
    check("f(x, y) = x^y", &[x, 2.5], vec![vec![2.5 * x.powf(1.5), x.powf(2.5) * x.ln()]]);
    check("f(x, y) = pow(x, y)", &[x, 0.3], vec![vec![0.3 * x.powf(-0.7), x.powf(0.3) * x.ln()]]);
    check("f(x) = 2^x", &[x], vec![vec![2f64.powf(x) * 2f64.ln()]]);
    check("f(x) = x^0.5", &[x], vec![vec![0.5 / x.sqrt()]]);
    // An integer exponent past i32 (3^3^3 = 7 625 597 484 987) is still an integer power,
    // defined for a negative base (a random program found it NaN there).
    let n = 7_625_597_484_987f64;
    check_ad("f(x) = x^3^3^3", &[-1.0], &[vec![n]]);
    check_ad("f(x) = x^(2^40)", &[-1.0], &[vec![-(2f64.powi(40))]]);
    check_ad("f(x) = softplus(---x^3^3^3)", &[-0.22743809294030845], &[vec![0.0]]);
    assert_eq!(tape("f(x) = x^3^3^3").eval(&[-1.0]), vec![-1.0]);
    assert_eq!(tape("f(x) = x^(-3^3^3)").eval(&[-1.0]), vec![-1.0]);
}

#[test]
fn trigonometric() {
    let x = 0.7f64;
    check(
        "f(x) = [sin(x), cos(x), tan(x)]",
        &[x],
        vec![vec![x.cos()], vec![-x.sin()], vec![1.0 / (x.cos() * x.cos())]],
    );
    let d = 1.0 / (1.0 - x * x).sqrt();
    check("f(x) = [asin(x), acos(x), atan(x)]", &[x], vec![vec![d], vec![-d], vec![1.0 / (1.0 + x * x)]]);
    let (y, z) = (2.0f64, -1.5f64);
    let r2 = y * y + z * z;
    check("f(y, x) = atan2(y, x)", &[y, z], vec![vec![z / r2, -y / r2]]);
}

#[test]
fn hyperbolic() {
    let x = 0.4f64;
    check(
        "f(x) = [sinh(x), cosh(x), tanh(x)]",
        &[x],
        vec![vec![x.cosh()], vec![x.sinh()], vec![1.0 / (x.cosh() * x.cosh())]],
    );
    check("f(x) = [asinh(x), atanh(x)]", &[x], vec![vec![1.0 / (1.0 + x * x).sqrt()], vec![1.0 / (1.0 - x * x)]]);
    check("f(x) = acosh(x)", &[2.5], vec![vec![1.0 / (2.5f64 * 2.5 - 1.0).sqrt()]]);
}

#[test]
fn exponentials_and_logs() {
    let x = 1.3f64;
    check(
        "f(x) = [exp(x), log(x), log2(x), log10(x)]",
        &[x],
        vec![vec![x.exp()], vec![1.0 / x], vec![1.0 / (x * 2f64.ln())], vec![1.0 / (x * 10f64.ln())]],
    );
    check("f(x) = [log1p(x), expm1(x)]", &[x], vec![vec![1.0 / (1.0 + x)], vec![x.exp()]]);
    check("f(x) = [sqrt(x), cbrt(x)]", &[x], vec![vec![0.5 / x.sqrt()], vec![1.0 / (3.0 * x.cbrt() * x.cbrt())]]);
    check("f(x) = cbrt(x)", &[-8.0], vec![vec![1.0 / 12.0]]);
}

#[test]
fn activations() {
    let x = 0.8f64;
    let s = 1.0 / (1.0 + (-x).exp());
    check(
        "f(x) = [sigmoid(x), softplus(x), relu(x), relu(-x)]",
        &[x],
        vec![vec![s * (1.0 - s)], vec![s], vec![1.0], vec![0.0]],
    );
    check("f(x) = [abs(x), abs(-x)]", &[-x], vec![vec![-1.0], vec![-1.0]]);
}

#[test]
fn binary_functions_and_ties() {
    check("f(a, b) = hypot(a, b)", &[3.0, 4.0], vec![vec![0.6, 0.8]]);
    check("f(a, b) = [min(a, b), max(a, b)]", &[1.0, 2.0], vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
    check_ad("f(a, b) = [min(a, b), max(a, b)]", &[2.0, 2.0], &[vec![0.5, 0.5], vec![0.5, 0.5]]);
    check_ad("f(x) = [abs(x), relu(x)]", &[0.0], &[vec![0.0], vec![0.0]]);
}

#[test]
fn polar_to_cartesian() {
    let (r, t) = (2.0f64, 0.6f64);
    check("f(r, t) = [r*cos(t), r*sin(t)]", &[r, t], vec![vec![t.cos(), -r * t.sin()], vec![t.sin(), r * t.cos()]]);
}

#[test]
fn cartesian_to_spherical() {
    let (x, y, z) = (1.0f64, 2.0f64, 2.0f64);
    let r = 3.0;
    let rho2 = x * x + y * y;
    let rho = rho2.sqrt();
    check(
        "r = sqrt(x^2 + y^2 + z^2)\nf(x, y, z) = [r, acos(z / r), atan2(y, x)]",
        &[x, y, z],
        vec![
            vec![x / r, y / r, z / r],
            vec![x * z / (r * r * rho), y * z / (r * r * rho), -rho / (r * r)],
            vec![-y / rho2, x / rho2, 0.0],
        ],
    );
}

#[test]
fn rosenbrock_gradient() {
    let (x, y) = (-1.2f64, 1.0f64);
    check(
        "f(x, y) = (1 - x)^2 + 100*(y - x^2)^2",
        &[x, y],
        vec![vec![-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)]],
    );
}

#[test]
fn lorenz_field() {
    let (x, y, z) = (1.0f64, 2.0f64, 3.0f64);
    check(
        "s = 10\nr = 28\nb = 8/3\nf(x, y, z) = [s*(y - x), x*(r - z) - y, x*y - b*z]",
        &[x, y, z],
        vec![vec![-10.0, 10.0, 0.0], vec![28.0 - z, -1.0, -x], vec![y, x, -8.0 / 3.0]],
    );
}

#[test]
fn unused_input_gives_zero_column() {
    check("f(x, y, z) = [x*y, y + 1]", &[2.0, 3.0, 4.0], vec![vec![3.0, 2.0, 0.0], vec![0.0, 1.0, 0.0]]);
    let t = tape("f(x, y, z) = [x*y, y + 1]");
    assert_eq!(t.zero_columns(), vec![2]);
}

#[test]
fn two_link_arm() {
    let (a, b) = (0.3f64, 0.9f64);
    check(
        "f(a, b) = [cos(a) + cos(a + b), sin(a) + sin(a + b)]",
        &[a, b],
        vec![vec![-a.sin() - (a + b).sin(), -(a + b).sin()], vec![a.cos() + (a + b).cos(), (a + b).cos()]],
    );
}

#[test]
fn softmax_of_three() {
    let x = [0.1f64, 0.5, -0.3];
    let e: Vec<f64> = x.iter().map(|v| v.exp()).collect();
    let s: f64 = e.iter().sum();
    let p: Vec<f64> = e.iter().map(|v| v / s).collect();
    let want = (0..3).map(|i| (0..3).map(|j| p[i] * (if i == j { 1.0 } else { 0.0 } - p[j])).collect()).collect();
    check("s = exp(a) + exp(b) + exp(c)\nf(a, b, c) = [exp(a)/s, exp(b)/s, exp(c)/s]", &x, want);
}

#[test]
fn stable_tails() {
    // tanh'(20) = sech²(20) ≈ 1.7e-17: 1 − tanh² would give 0.
    let want = 1.0 / 20f64.cosh().powi(2);
    check("f(x) = tanh(x)", &[20.0], vec![vec![want]]);
    check("f(x) = tanh(x)", &[-20.0], vec![vec![want]]);
    // sigmoid'(40) = e^-40/(1+e^-40)²; 1 − σ would give 0.
    let e = (-40f64).exp();
    check("f(x) = sigmoid(x)", &[40.0], vec![vec![e / ((1.0 + e) * (1.0 + e))]]);
    check("f(x) = sigmoid(x)", &[-40.0], vec![vec![e / ((1.0 + e) * (1.0 + e))]]);
    check("f(x) = softplus(x)", &[-40.0], vec![vec![e / (1.0 + e)]]);
    // hypot neither overflows nor underflows.
    check("f(a, b) = hypot(a, b)", &[3e200, 4e200], vec![vec![0.6, 0.8]]);
    check("f(a, b) = hypot(a, b)", &[3e-200, 4e-200], vec![vec![0.6, 0.8]]);
    check("f(y, x) = atan2(y, x)", &[3e200, 4e200], vec![vec![1.6e-201, -1.2e-201]]);
}

#[test]
fn bindings_and_shared_subexpressions() {
    let (x, y) = (0.5f64, 1.5f64);
    let h = x * y;
    check(
        "h = x*y\ng = sin(h)\nf(x, y) = [g*h, g + x]",
        &[x, y],
        vec![vec![h.cos() * y * h + h.sin() * y, h.cos() * x * h + h.sin() * x], vec![h.cos() * y + 1.0, h.cos() * x]],
    );
}

#[test]
fn tanh_network_2_3_2() {
    let x = [0.3f64, -0.7];
    let w1 = [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]];
    let b1 = [0.1, -0.2, 0.05];
    let w2 = [[1.0, -0.5, 0.25], [0.3, 0.9, -1.2]];
    let a: Vec<f64> = (0..3).map(|k| (w1[k][0] * x[0] + w1[k][1] * x[1] + b1[k]).tanh()).collect();
    let want = (0..2)
        .map(|i| (0..2).map(|j| (0..3).map(|k| w2[i][k] * (1.0 - a[k] * a[k]) * w1[k][j]).sum()).collect())
        .collect();
    check(
        "h1 = tanh(0.5*x1 - 1*x2 + 0.1)\nh2 = tanh(1.5*x1 + 0.2*x2 - 0.2)\nh3 = tanh(-0.3*x1 + 0.8*x2 + 0.05)\nnet(x1, x2) = [1*h1 - 0.5*h2 + 0.25*h3, 0.3*h1 + 0.9*h2 - 1.2*h3]",
        &x,
        want,
    );
}
