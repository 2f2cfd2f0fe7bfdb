//! Worked examples shown in the gallery. Plain data: the UI lists them, tests compile them.

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    pub at: &'static [f64],
    pub note: &'static str,
}

pub const CLASSIC: Example = Example {
    id: "classic",
    title: "The classic: f = (x1+x2, x1·x3, x2³)",
    source: "# The worked example from torch.autograd.functional.jacobian\nf(x1, x2, x3) = [x1 + x2, x1*x3, x2^3]\n",
    at: &[3.0, 4.0, 5.0],
    note: "Row i holds the gradient of output i. x1·x3 puts x3 in column 1 and x1 in column 3; x2³ gives 3·x2² = 48 at x2 = 4.",
};

pub const EXAMPLES: &[Example] = &[CLASSIC];
