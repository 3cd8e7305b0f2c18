/**
 * The model as the standard TensorFlow.js LayersModel files: model.json (topology and a weights
 * manifest pointing at weights.bin) and the weights. tfjs-node is optional, so saving goes through
 * tf.io.withSaveHandler instead of the file:// handler.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { StudioError } from '../../common/errors';
import type { TrainedModel } from '../../common/trainer';
import { useSelectedKernels } from './fused/patch';

type Tf = typeof tfTypes;

export const weightsFileName = 'weights.bin';
/** models.format of a recurrent run's saved model. */
export const tfjsModelFormat = 'tfjs-layers';

export async function serializeModel(tf: Tf, model: tfTypes.LayersModel, tokenizerJson: string): Promise<TrainedModel> {
  let saved: tfTypes.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved! as tfTypes.io.ModelArtifacts;
  const weights = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]);
  const modelJson = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsFileName], weights: artifacts.weightSpecs }],
  };
  return { format: tfjsModelFormat, modelJson: JSON.stringify(modelJson), weights, tokenizerJson };
}

/**
 * `source` names the model in errors ("bundle folder X", "run 3"). tfjs reports a model.json and
 * weights that do not fit each other in its own words ("Shape mismatch: [17,8] vs. [8,17]"); the
 * message says which model and what that means.
 */
export async function deserializeModel(tf: Tf, modelJson: string, weights: ArrayBuffer | Uint8Array, source = 'the model'): Promise<tfTypes.LayersModel> {
  const buffer = weights instanceof ArrayBuffer ? weights : weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  let model: tfTypes.LayersModel;
  try {
    const json = JSON.parse(modelJson) as { modelTopology: object; weightsManifest: { weights: tfTypes.io.WeightsManifestEntry[] }[] };
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: buffer as ArrayBuffer,
      }),
    );
  } catch (error) {
    // tfjs follows its first line with advice for Python users, which is not ours to give.
    const reason = (error as Error).message.split('\n')[0].replace(/\s*This may be due to.*$/, '');
    throw new StudioError('bad-file', `${source} could not be loaded: its model.json and weights do not fit together (${reason})`, { cause: error });
  }
  // A loaded model predicts and fine-tunes on the same kernels as a freshly built one.
  useSelectedKernels(tf, model);
  return model;
}

/**
 * A model must fit its tokenizer and labels: input length = maxLen, outputs = 1 (sigmoid, two
 * labels) or one per label. A mismatched bundle would otherwise score silently wrong numbers.
 */
export function checkModelShape(model: tfTypes.LayersModel, maxLen: number, numClasses: number, source: string): void {
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  if (!input || input[1] !== maxLen) {
    throw new StudioError('bad-file', `${source}: the model reads ${input?.[1] ?? '?'} tokens per review but tokenizer.json pads to ${maxLen}.`);
  }
  const expected = numClasses === 2 ? 1 : numClasses;
  if (!output || output[output.length - 1] !== expected) {
    throw new StudioError('bad-file', `${source}: the model has ${output?.[output.length - 1] ?? '?'} outputs, but ${numClasses} labels need ${expected}.`);
  }
}
