/**
 * Registers TensorFlow.js's gradient functions.
 *
 * `@tensorflow/tfjs-core` registers no gradients by itself (the umbrella `@tensorflow/tfjs`
 * package does, and tfjs-core's own `dist/register_all_gradients.js` cannot be loaded by Deno:
 * its imports omit file extensions). Without this import `tf.grad` fails with
 * "gradient function not found for RealDiv". Importing the umbrella's Node bundle registers every
 * gradient into the shared registry of the same tfjs-core instance; its extra backends
 * (webgl, layers, converter, data) stay unused.
 *
 * @module
 */
import "@tensorflow/tfjs";
