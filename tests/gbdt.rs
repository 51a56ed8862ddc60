//! The tree learner on small problems with known answers.

use janus::gbdt::{BoostParams, Booster, Matrix, Rows, Targets};

/// Rows of two features on a grid over [-1, 1]^2.
fn grid(n: usize) -> Matrix {
    let data = (0..n * n)
        .flat_map(|i| {
            let (a, b) = (i / n, i % n);
            [
                a as f32 / (n - 1) as f32 * 2.0 - 1.0,
                b as f32 / (n - 1) as f32 * 2.0 - 1.0,
            ]
        })
        .collect();
    Matrix::new(n * n, 2, data)
}

fn targets(x: &Matrix, f: impl Fn(&[f32]) -> Vec<f32>) -> Matrix {
    let rows: Vec<Vec<f32>> = (0..x.rows()).map(|r| f(x.row(r))).collect();
    Matrix::new(rows.len(), rows[0].len(), rows.concat())
}

fn train(params: &BoostParams, x: &Matrix, t: Targets) -> (Booster, Vec<f64>) {
    let mut losses = Vec::new();
    let b = Booster::train(params, x, t, None, &mut |log| losses.push(log.train_loss));
    (b, losses)
}

#[test]
fn fits_a_known_function_of_two_features() {
    let x = grid(40);
    let y = targets(&x, |r| {
        vec![(3.0 * r[0]).sin() + if r[1] > 0.2 { 1.0 } else { -1.0 }]
    });
    let params = BoostParams {
        rounds: 200,
        learning_rate: 0.2,
        max_depth: 4,
        ..Default::default()
    };
    let (b, losses) = train(&params, &x, Targets::Values(&y));
    assert!(
        *losses.last().unwrap() < 0.05,
        "training RMSE {}",
        losses.last().unwrap()
    );
    let mut out = [0.0];
    b.predict_row(&[0.5, 0.9], &mut out);
    assert!((out[0] - (1.5f32.sin() + 1.0)).abs() < 0.1, "{}", out[0]);
}

#[test]
fn boosting_lowers_the_training_loss_every_round() {
    let x = grid(30);
    let y = targets(&x, |r| {
        vec![r[0] * r[1], r[0] - r[1] * r[1], (r[0] > 0.0) as u8 as f32]
    });
    let params = BoostParams {
        rounds: 30,
        learning_rate: 0.3,
        max_depth: 3,
        ..Default::default()
    };
    let (b, losses) = train(&params, &x, Targets::Values(&y));
    assert_eq!(b.rounds.len(), 30);
    assert_eq!(b.trees(), 90, "one tree per output per round");
    for w in losses.windows(2) {
        assert!(w[1] < w[0], "loss went up: {losses:?}");
    }
}

#[test]
fn softmax_separates_classes_and_lowers_its_loss_every_round() {
    let x = grid(30);
    let labels: Vec<u32> = (0..x.rows())
        .map(|r| (x.get(r, 0) > 0.0) as u32 + 2 * (x.get(r, 1) > 0.3) as u32)
        .collect();
    let params = BoostParams {
        rounds: 20,
        max_depth: 2,
        ..Default::default()
    };
    let (b, losses) = train(
        &params,
        &x,
        Targets::Classes {
            labels: &labels,
            classes: 4,
        },
    );
    for w in losses.windows(2) {
        assert!(w[1] < w[0], "loss went up: {losses:?}");
    }
    let scores = b.predict(&x);
    let correct = (0..x.rows())
        .filter(|&r| {
            let row = scores.row(r);
            let best = (0..4).max_by(|&a, &c| row[a].total_cmp(&row[c])).unwrap();
            best as u32 == labels[r]
        })
        .count();
    assert_eq!(correct, x.rows());
}

#[test]
fn early_stopping_keeps_the_best_round() {
    // Pure noise: the validation loss stops improving quickly.
    let x = grid(20);
    let noise = |seed: u32| {
        targets(&x, move |r| {
            let h = ((r[0] * 1000.0) as i32 as u32).wrapping_mul(2654435761)
                ^ ((r[1] * 977.0) as i32 as u32)
                ^ seed;
            vec![(h.wrapping_mul(2246822519) >> 16) as f32 / 65536.0]
        })
    };
    let (y, vy) = (noise(1), noise(7));
    let params = BoostParams {
        rounds: 200,
        max_depth: 6,
        early_stopping: Some(5),
        ..Default::default()
    };
    let mut valid = Vec::new();
    let b = Booster::train(
        &params,
        &x,
        Targets::Values(&y),
        Some((&x, Targets::Values(&vy))),
        &mut |l| valid.push(l.valid_loss.unwrap()),
    );
    assert!(valid.len() < 200, "never stopped");
    let best = valid.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(
        valid[b.rounds.len() - 1],
        best,
        "kept {} rounds of {valid:?}",
        b.rounds.len()
    );
    assert_eq!(valid.len(), b.rounds.len() + 5);
}

#[test]
fn the_same_seed_gives_the_same_trees() {
    let x = grid(25);
    let y = targets(&x, |r| vec![r[0] + r[1], r[0] * r[0]]);
    let params = BoostParams {
        rounds: 10,
        subsample: 0.5,
        colsample: 0.5,
        seed: 3,
        ..Default::default()
    };
    let (a, _) = train(&params, &x, Targets::Values(&y));
    let (b, _) = train(&params, &x, Targets::Values(&y));
    assert_eq!(a, b);
    let (c, _) = train(&BoostParams { seed: 4, ..params }, &x, Targets::Values(&y));
    assert_ne!(a, c);
}

#[test]
fn trees_respect_depth_and_leaf_limits() {
    let x = grid(30);
    let y = targets(&x, |r| vec![(5.0 * r[0]).sin() * (4.0 * r[1]).cos()]);
    let params = BoostParams {
        rounds: 5,
        max_depth: 5,
        max_leaves: 7,
        ..Default::default()
    };
    let (b, _) = train(&params, &x, Targets::Values(&y));
    for t in b.rounds.iter().flatten() {
        assert!(
            t.depth() <= 5 && t.leaves() <= 7,
            "depth {} leaves {}",
            t.depth(),
            t.leaves()
        );
    }
    assert!(b.leaves() > 5 * 4, "trees should use their leaves");
}

#[test]
fn margins_are_a_prior_the_trees_start_from() {
    // Features say nothing (all zero); each row's class is in its margin only.
    let n = 200;
    let x = Matrix::new(n, 1, vec![0.0; n]);
    let labels: Vec<u32> = (0..n as u32).map(|i| (i * 7 + i / 3) % 2).collect();
    let margin_of = |l: u32| if l == 0 { [3.0, -3.0] } else { [-3.0, 3.0] };
    let margin = Matrix::new(n, 2, labels.iter().flat_map(|&l| margin_of(l)).collect());
    let t = Targets::Classes {
        labels: &labels,
        classes: 2,
    };
    let params = BoostParams {
        rounds: 5,
        ..Default::default()
    };
    let mut with = Vec::new();
    let data = Rows {
        margin: Some(&margin),
        ..Rows::new(&x, t)
    };
    let b = Booster::train_rows(&params, data, None, &mut |log| with.push(log.train_loss));
    assert_eq!(
        b.base,
        vec![0.0, 0.0],
        "the margins replace the base scores"
    );
    // Softmax of (3, -3): loss ln(1 + e^-6) = 0.0025 per row.
    assert!(with[0] < 0.01, "{with:?}");
    let (_, without) = train(&params, &x, t);
    assert!(without.iter().all(|&l| l > 0.6), "{without:?}");
}
