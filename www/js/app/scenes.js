// Lesson scenes: named states of the lab with a caption, for a link from a course page
// (`index.html?scene=rich`, or a chain `?scenes=rich,transition,kernel` walked with "Next" or
// a message from the host page; docs/EMBEDDING.md). A scene sets a few keys of the state over
// whatever the link gave (the data stay the link's, or the example); its caption says what to
// look at.

/** The scenes, in their natural order. */
export const SCENES = {
  rich: {
    title: 'The rich regime (τ small)',
    caption: 'Started from a tiny scale, the network that fits the data while moving its weights least is sparse: straight pieces with kinks only at a few data points — the minimal-norm fit (dotted). In the Neurons view a few neurons have grown into spikes at data points; the rest did not move.',
    state: { tau: 0.003 },
  },
  transition: {
    title: 'The transition (τ ≈ 1 to 50)',
    caption: 'In between, the fit leaves the minimal-norm fit and bends between the data. Drag the τ slider through this range, or press Play: the path is continuous, and it is here that it differs from both ends.',
    state: { tau: 10 },
  },
  kernel: {
    title: 'The kernel regime (τ large)',
    caption: 'Started from a large scale, the weights barely move (the Neurons view matches its grey outline) and the fit is the smooth tangent-kernel interpolant (dashed): the network behaves like its linearization.',
    state: { tau: 300 },
  },
  generalization: {
    title: 'What each regime predicts off the data',
    caption: 'Ten noisy points drawn from sin(1.5x) (dashed). Against τ, the bottom chart shows how far each fit is from that ground truth over the data\'s range: the path, both limits (horizontal lines) and gradient descent (dots). Move τ to see which regime generalizes better here, and where.',
    state: { tau: 1, target: 'sine', targetPoints: 10, targetNoise: 0.1, targetSeed: 0, gd: true, gdWidth: 400, gdSeed: 0, gdSteps: 20000 },
    sample: true,
  },
  gd: {
    title: 'Gradient descent and the path',
    caption: 'Gradient descent from the same 400 neurons (the wide curve) ends close to the scaling path from the transition up, not only at the kernel end: Against τ shows its distance to the path τ by τ (dots) and its transport cost (rings), never below the path\'s. At small τ it can stall (crosses) where no neuron can bend between data points.',
    state: { tau: 1, gd: true, gdWidth: 400, gdSeed: 0, gdSteps: 20000, net: 'finite', width: 400, seed: 0 },
  },
};

export const SCENE_NAMES = Object.keys(SCENES);

/** The scene after `name` in `chain`, or null. */
export function nextScene(chain, name) {
  const i = chain.indexOf(name);
  return i >= 0 && i + 1 < chain.length ? chain[i + 1] : null;
}
