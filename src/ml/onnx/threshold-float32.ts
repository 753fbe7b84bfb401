/**
 * Float32 thresholds that make the same decisions as float64 ones.
 *
 * ONNX tree operators compare float32 inputs with float32 thresholds. A tree
 * trained on float32-rounded features (smx's default, and scikit-learn's) has
 * float64 midpoint thresholds t between two float32 values a < b. Rounding t to
 * nearest float32 can land on b, and then b would go left in ONNX but right in
 * the trained tree. Rounding *down* instead gives the largest float32 f <= t;
 * since no float32 lies in (f, t], every float32 input x satisfies
 * x <= f ⇔ x <= t, so ONNX and the in-process predictor in float32 mode agree
 * on every row.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 below a finite float32 value v. */
function nextDownFloat32(v: number): number {
  if (v === 0) return -1.401298464324817e-45;
  f32[0] = v;
  if (v > 0) u32[0] = (u32[0] as number) - 1;
  else u32[0] = (u32[0] as number) + 1;
  return f32[0];
}

/** Largest float32 value <= t (t finite). */
export function floorToFloat32(t: number): number {
  const f = Math.fround(t);
  if (f <= t) return f;
  return nextDownFloat32(f);
}
