// Training losses as transformers' sequence classifiers compute them: mean cross-entropy over
// examples (single-label), mean binary cross-entropy with logits over every example × label
// (multi-label, BCEWithLogitsLoss).
import * as tf from '@tensorflow/tfjs-core';

/** logits [B, K], labels [B] class indices -> scalar mean −log softmax(logits)[label]. */
export function crossEntropy(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.tidy(() => {
    const [, K] = logits.shape;
    const target = tf.oneHot(tf.tensor1d(labels, 'int32'), K);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

/** logits [B, K], targets [B·K] in {0, 1} -> scalar mean of max(x,0) − x·y + log(1 + e^−|x|). */
export function binaryCrossEntropy(logits: tf.Tensor2D, targets: Float32Array): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.tensor(targets, logits.shape, 'float32');
    return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.softplus(tf.neg(tf.abs(logits))))) as tf.Scalar;
  });
}
