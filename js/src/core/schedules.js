// Learning-rate schedules, step by step as trajectories/schedules.py computes them: under "d2l" the book's code
// (d2l 12.4's exponential_lr and polynomial_lr, 12.11's FactorScheduler, multi-factor and CosineScheduler), under
// "torch" torch.optim.lr_scheduler's recursive get_lr stepped once after each step. Step t uses rates[t - 1].
// Math.exp, Math.cos and ** may differ from the C library's in the last bit; everything else is the same operations.

function multistep(eta, p, steps, out) {
  let lr = eta;
  const milestones = new Set(p.milestones);
  for (let t = 1; t <= steps; t++) {
    if (milestones.has(t - 1)) lr = lr * p.factor;
    out[t - 1] = lr;
  }
}

function linearStep(lr, k, start, end, total) { // LinearLR.get_lr at last_epoch k >= 1
  if (k > total) return lr;
  return lr * (1.0 + (end - start) / (total * start + (k - 1) * (end - start)));
}

function cosineStep(lr, eta, k, period, final) { // CosineAnnealingLR.get_lr at last_epoch k >= 1
  if ((((k - 1 - period) % (2 * period)) + 2 * period) % (2 * period) === 0) {
    return lr + (eta - final) * (1 - Math.cos(Math.PI / period)) / 2;
  }
  return (1 + Math.cos(Math.PI * k / period)) / (1 + Math.cos(Math.PI * (k - 1) / period)) * (lr - final) + final;
}

const D2L = {
  exponential(eta, p, steps, out) {
    for (let t = 1; t <= steps; t++) out[t - 1] = eta * Math.exp(-p.decay * (t + 1));
  },
  polynomial(eta, p, steps, out) {
    for (let t = 1; t <= steps; t++) out[t - 1] = eta * (1 + p.decay * (t + 1)) ** (-p.power);
  },
  factor(eta, p, steps, out) {
    let lr = eta;
    for (let t = 1; t <= steps; t++) {
      lr = Math.max(p.stop, lr * p.factor);
      out[t - 1] = lr;
    }
  },
  multifactor: multistep,
  cosine(eta, p, steps, out) {
    const { period, final, warmup, warmup_begin: begin } = p, maxSteps = period - warmup;
    let lr = eta;
    for (let t = 1; t <= steps; t++) {
      const epoch = t - 1;
      if (epoch < warmup) {
        out[t - 1] = begin + (eta - begin) * epoch / warmup;
        continue;
      }
      if (epoch <= period) lr = final + (eta - final) * (1 + Math.cos(Math.PI * (epoch - warmup) / maxSteps)) / 2;
      out[t - 1] = lr;
    }
  },
};

const TORCH = {
  exponential(eta, p, steps, out) {
    let lr = eta;
    for (let t = 1; t <= steps; t++) {
      if (t > 1) lr = lr * p.factor;
      out[t - 1] = lr;
    }
  },
  polynomial(eta, p, steps, out) {
    let lr = eta;
    const total = p.period;
    for (let t = 1; t <= steps; t++) {
      const k = t - 1;
      if (k > 0 && k <= total) lr = lr * ((1.0 - k / total) / (1.0 - (k - 1) / total)) ** p.power;
      out[t - 1] = lr;
    }
  },
  factor(eta, p, steps, out) {
    let lr = eta;
    for (let t = 1; t <= steps; t++) {
      const k = t - 1;
      if (k !== 0 && k % p.every === 0) lr = lr * p.factor;
      out[t - 1] = lr;
    }
  },
  multifactor: multistep,
  cosine(eta, p, steps, out) {
    const warmup = p.warmup, period = p.period - warmup, final = p.final, start = p.start_factor;
    let lr = eta;
    for (let t = 1; t <= steps; t++) {
      const k = t - 1;
      if (k < warmup) lr = k === 0 ? eta * start : linearStep(lr, k, start, 1.0, warmup);
      else if (k === warmup) lr = warmup ? final + (eta - final) * (1 + Math.cos(Math.PI * 0 / period)) / 2 : eta;
      else lr = cosineStep(lr, eta, k - warmup, period, final);
      out[t - 1] = lr;
    }
  },
  linear(eta, p, steps, out) {
    let lr = eta;
    for (let t = 1; t <= steps; t++) {
      const k = t - 1;
      lr = k === 0 ? eta * p.start_factor : linearStep(lr, k, p.start_factor, p.end_factor, p.period);
      out[t - 1] = lr;
    }
  },
};

/**
 * eta_t for t = 1..steps (schedules.rates): a Float64Array, or null for "constant".
 *
 * @param {string} schedule @param {string} convention "d2l" or "torch" @param {number} eta
 * @param {object} params the schedule's parameters, checked (Python's resolve fills them)
 */
export function rates(schedule, convention, eta, params, steps, out = new Float64Array(steps)) {
  if (schedule === "constant") return null;
  const make = (convention === "torch" ? TORCH : D2L)[schedule];
  if (!make) throw new Error(`The 'schedule' parameter has no ${schedule} schedule under the ${convention} convention.`);
  make(eta, params, steps, out);
  return out;
}
