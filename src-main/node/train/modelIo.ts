/**
 * The model as the standard TensorFlow.js LayersModel files: model.json (topology and a weights
 * manifest pointing at weights.bin) and the weights. tfjs-node is optional, so saving goes through
 * tf.io.withSaveHandler instead of the file:// handler.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { TrainedModel } from '../../common/trainer';

type Tf = typeof tfTypes;

export const weightsFileName = 'weights.bin';

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
  return { modelJson: JSON.stringify(modelJson), weights, tokenizerJson };
}

export async function deserializeModel(tf: Tf, modelJson: string, weights: ArrayBuffer | Uint8Array): Promise<tfTypes.LayersModel> {
  const json = JSON.parse(modelJson) as { modelTopology: object; weightsManifest: { weights: tfTypes.io.WeightsManifestEntry[] }[] };
  const buffer = weights instanceof ArrayBuffer ? weights : weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: buffer as ArrayBuffer,
    }),
  );
}
