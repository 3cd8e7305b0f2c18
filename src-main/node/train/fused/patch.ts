/**
 * Makes the standard tfjs LSTM/GRU layer instances of a built model compute through the fused
 * kernels, by replacing each instance's `call`. The layers, their config and their variables are
 * untouched, so model.json and the weights stay the plain tfjs format and load without the addon.
 *
 * A Bidirectional layer in concat mode runs both directions as one fused op that writes the
 * concatenated output directly (no Reverse/Concat ops, no Split/Reverse in the gradient). Its
 * inner layers are patched too, which covers the other merge modes: Bidirectional calls their
 * `call` directly.
 *
 * Falls back to the layer's own call for anything the kernels do not implement: activations
 * other than tanh/sigmoid, no bias, recurrent dropout, stateful layers, returned states, initial
 * states. Input dropout is applied as tfjs' LSTMCell/GRUCell does it: one mask per sample over
 * the input features, the same for every time step and every gate.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { fusedAddonFor, type FusedAddon, type KernelsChoice } from './addon';
import { fusedRecurrent, maskBytes, type CellKind, type Direction } from './ops';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;
type Kwargs = Record<string, unknown>;

/** The tfjs-layers internals read here (public at run time, not in the typings). */
interface RecurrentCell {
  units: number;
  useBias: boolean;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  kernel: { read(): Tensor };
  recurrentKernel: { read(): Tensor };
  bias: { read(): Tensor } | null;
}

interface BidirectionalLayer {
  forwardLayer: RecurrentLayer;
  backwardLayer: RecurrentLayer;
  mergeMode: string | null;
  returnState: boolean;
  call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[];
}

interface RecurrentLayer {
  getClassName(): string;
  cell: RecurrentCell;
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
  call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[];
}

const patched = new WeakSet<object>();

const cellOfClass: Record<string, CellKind> = { LSTM: 'lstm', GRU: 'gru' };

/** Why a layer cannot run fused, or null when it can. */
export function unsupportedReason(layer: RecurrentLayer): string | null {
  const cell = layer.cell;
  if (!cellOfClass[layer.getClassName()]) return `${layer.getClassName()} is not an LSTM or GRU`;
  if (cell.activation.getClassName() !== 'tanh') return `activation ${cell.activation.getClassName()} (fused: tanh)`;
  if (cell.recurrentActivation.getClassName() !== 'sigmoid') return `recurrentActivation ${cell.recurrentActivation.getClassName()} (fused: sigmoid)`;
  if (!cell.useBias) return 'useBias: false';
  if (cell.recurrentDropout > 0) return 'recurrentDropout';
  if (layer.stateful) return 'stateful';
  if (layer.returnState) return 'returnState';
  return null;
}

function singleTensor(inputs: Tensor | Tensor[]): Tensor | null {
  if (!Array.isArray(inputs)) return inputs;
  return inputs.length === 1 ? inputs[0]! : null;
}

/** The layer's direction as the fused op takes it, reading the variables at call time. */
function direction(layer: RecurrentLayer): Direction {
  const cell = layer.cell;
  return {
    spec: { cell: cellOfClass[layer.getClassName()]!, units: cell.units, goBackwards: layer.goBackwards, returnSequences: layer.returnSequences },
    kernel: cell.kernel.read(),
    recurrentKernel: cell.recurrentKernel.read(),
    bias: cell.bias!.read(),
  };
}

/** tfjs' LSTMCell/GRUCell input dropout: one mask per sample and feature, the same at every step. */
function dropInputs(tf: Tf, x: Tensor, rate: number, kwargs: Kwargs | undefined): Tensor {
  if (kwargs?.['training'] !== true || !(rate > 0 && rate < 1)) return x;
  const [batch, , features] = x.shape as [number, number, number];
  const keep = tf.dropout(tf.ones([batch, features]), rate);
  return tf.mul(x, keep.reshape([batch, 1, features]));
}

/** The one input tensor of a plain call, or null when the call has initial states or constants. */
function plainInput(inputs: Tensor | Tensor[], kwargs: Kwargs | undefined): Tensor | null {
  const x = singleTensor(inputs);
  return x && x.rank === 3 && kwargs?.['initialState'] == null ? x : null;
}

function patchLayer(tf: Tf, addon: FusedAddon, layer: RecurrentLayer): boolean {
  if (patched.has(layer) || unsupportedReason(layer) !== null) return patched.has(layer);
  const original = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = plainInput(inputs, kwargs);
    if (!x) return original(inputs, kwargs);
    return tf.tidy(() => {
      const input = dropInputs(tf, x, layer.cell.dropout, kwargs);
      return fusedRecurrent(tf, addon, [direction(layer)], input, maskBytes(kwargs?.['mask'] as Tensor | null | undefined));
    });
  };
  patched.add(layer);
  return true;
}

function patchBidirectional(tf: Tf, addon: FusedAddon, layer: BidirectionalLayer): void {
  const { forwardLayer, backwardLayer } = layer;
  if (patched.has(layer) || layer.mergeMode !== 'concat' || layer.returnState) return;
  if (!isFused(forwardLayer) || !isFused(backwardLayer) || forwardLayer.goBackwards || !backwardLayer.goBackwards) return;
  const original = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = plainInput(inputs, kwargs);
    if (!x) return original(inputs, kwargs);
    return tf.tidy(() => {
      const mask = maskBytes(kwargs?.['mask'] as Tensor | null | undefined);
      const forwardInput = dropInputs(tf, x, forwardLayer.cell.dropout, kwargs);
      // Each direction draws its own dropout mask in tfjs; a shared input would tie them.
      if (forwardLayer.cell.dropout > 0 && kwargs?.['training'] === true) {
        const forwardOut = fusedRecurrent(tf, addon, [direction(forwardLayer)], forwardInput, mask);
        const backwardOut = fusedRecurrent(tf, addon, [direction(backwardLayer)], dropInputs(tf, x, backwardLayer.cell.dropout, kwargs), mask);
        return tf.concat([forwardOut, forwardLayer.returnSequences ? tf.reverse(backwardOut, 1) : backwardOut], -1);
      }
      return fusedRecurrent(tf, addon, [direction(forwardLayer), direction(backwardLayer)], x, mask);
    });
  };
  patched.add(layer);
}

/** The LSTM/GRU layers of a model, Bidirectional ones opened up into their two directions. */
export function recurrentLayers(layers: readonly tfTypes.layers.Layer[]): RecurrentLayer[] {
  const found: RecurrentLayer[] = [];
  for (const layer of layers) {
    const wrapper = layer as unknown as { forwardLayer?: RecurrentLayer; backwardLayer?: RecurrentLayer };
    if (wrapper.forwardLayer && wrapper.backwardLayer) found.push(wrapper.forwardLayer, wrapper.backwardLayer);
    else if (cellOfClass[layer.getClassName()]) found.push(layer as unknown as RecurrentLayer);
  }
  return found;
}

/** Patches every supported recurrent layer; returns how many run fused and how many stay on tfjs. */
export function useFusedKernels(tf: Tf, addon: FusedAddon, layers: readonly tfTypes.layers.Layer[]): { fused: number; tfjs: number } {
  let fused = 0;
  let tfjs = 0;
  for (const layer of recurrentLayers(layers)) {
    if (patchLayer(tf, addon, layer)) fused++;
    else tfjs++;
  }
  for (const layer of layers) {
    const wrapper = layer as unknown as Partial<BidirectionalLayer>;
    if (wrapper.forwardLayer && wrapper.backwardLayer) patchBidirectional(tf, addon, wrapper as BidirectionalLayer);
  }
  return { fused, tfjs };
}

/**
 * Runs a model's recurrent layers on the selected kernels: for models built elsewhere, such as
 * one loaded from model.json for prediction. A no-op on the tfjs path.
 */
export function useSelectedKernels(tf: Tf, model: tfTypes.LayersModel, choice?: KernelsChoice): void {
  const addon = fusedAddonFor(choice);
  if (addon) useFusedKernels(tf, addon, model.layers);
}

export function isFused(layer: object): boolean {
  return patched.has(layer);
}
