/**
 * What each hyperparameter means to an analyst, which way to turn it, and where the form shows
 * it. Keyed by field so the compiler rejects a field without help text.
 */
import type { Hyperparameters } from './hyperparameters';

export type FieldGroup = 'Text' | 'Model' | 'Training';

export const fieldText: Record<keyof Hyperparameters, { group: FieldGroup; help: string }> = {
  vocabSize: {
    group: 'Text',
    help: 'How many different words the model knows (2 entries are reserved); rarer words become unknown. Raise it for large, varied data; lower it when you have few labels.',
  },
  minCount: {
    group: 'Text',
    help: 'Words seen fewer times than this in the training reviews count as unknown. Raise it to ignore typos and rare names; 1 keeps every word.',
  },
  maxLen: {
    group: 'Text',
    help: 'Each review is cut or padded to this many tokens. Raise it when many reviews are longer (training gets slower); lower it for short texts such as tweets.',
  },
  padding: {
    group: 'Text',
    help: "Where short reviews are filled up: 'post' after the text, 'pre' before it. With masking on either works; with masking off use 'pre'.",
  },
  truncating: {
    group: 'Text',
    help: "Which part of a long review is cut: 'pre' drops the start and keeps the ending, where reviews usually give their verdict; 'post' keeps the start.",
  },
  lowercase: {
    group: 'Text',
    help: "Treat 'Great' and 'great' as the same word. Turn off only if capital letters carry sentiment in your texts.",
  },
  embedDim: {
    group: 'Model',
    help: 'Length of the vector that represents each word. Larger can capture more nuance but needs more labels and time; 32–128 suits most projects.',
  },
  cell: {
    group: 'Model',
    help: "The recurrent layer: 'lstm' is the classic and a little stronger on long reviews; 'gru' has fewer weights and trains faster.",
  },
  units: {
    group: 'Model',
    help: 'Size of the recurrent layer’s memory. Raise it if even training accuracy stays low; lower it to train faster or to overfit less.',
  },
  layers: {
    group: 'Model',
    help: 'Recurrent layers stacked on each other. 1 is usually enough; a second helps only with many labels and costs time.',
  },
  bidirectional: {
    group: 'Model',
    help: 'Also read each review backwards and combine both readings. Usually more accurate; roughly doubles training time.',
  },
  pooling: {
    group: 'Model',
    help: "How the word-by-word outputs become one summary: 'last' takes the final step, 'max' the strongest signal anywhere (good for long reviews), 'mean' the average.",
  },
  masking: {
    group: 'Model',
    help: 'Keep padding out of the model’s memory. Leave on; turning it off with post padding shows why predictions collapse to one label.',
  },
  embeddingDropout: {
    group: 'Model',
    help: 'Share of word-vector channels switched off at random while training (the same ones across the whole review). Curbs overfitting on long reviews; 0.2–0.3 is typical, 0 turns it off.',
  },
  dropout: {
    group: 'Model',
    help: 'Share of features switched off at random while training, to curb overfitting. Raise it (0.3–0.5) when validation accuracy lags training accuracy; 0 turns it off.',
  },
  recurrentDropout: {
    group: 'Model',
    help: 'Dropout inside the recurrent memory. Curbs overfitting further but makes training many times slower here; usually leave at 0.',
  },
  optimizer: {
    group: 'Training',
    help: "How the weights are updated: 'adam' works well almost always; 'rmsprop' and 'sgd' are there to compare.",
  },
  learningRate: {
    group: 'Training',
    help: 'Size of each update step. Lower it if the loss jumps around or grows; raise it if the loss falls very slowly.',
  },
  momentum: {
    group: 'Training',
    help: 'For the sgd optimizer only: how much of the previous step carries into the next. 0.9 is typical; 0 is plain SGD.',
  },
  clipNorm: {
    group: 'Training',
    help: 'Caps the size of each update to keep training stable on long reviews. Try 1 if the loss suddenly spikes or becomes NaN; 0 turns it off.',
  },
  batchSize: {
    group: 'Training',
    help: 'Reviews per update. Larger makes each epoch faster but may generalise slightly worse; smaller uses less memory.',
  },
  epochs: {
    group: 'Training',
    help: 'Maximum number of passes over the training reviews; early stopping (patience) may end training sooner.',
  },
  patience: {
    group: 'Training',
    help: 'Stop when the validation loss has not improved for this many epochs, and keep the best weights. 0 always trains every epoch.',
  },
  classWeights: {
    group: 'Training',
    help: "'auto' gives rarer labels more weight so an unbalanced dataset does not drown them out; 'none' counts every review the same.",
  },
  validationSplit: {
    group: 'Training',
    help: 'Share of the training reviews held out to measure progress when the project has no validation reviews. 0 means no validation and no early stopping.',
  },
  trainFraction: {
    group: 'Training',
    help: 'Train on this share of the training reviews, drawn per label (validation and test stay whole). A learning curve uses it to show whether more labels would help; leave at 1 otherwise.',
  },
  seed: {
    group: 'Training',
    help: 'Starting point for every random choice (initial weights, shuffling, hold-out). Keep it to compare runs fairly; change it to check a result is not luck.',
  },
  freezeEmbedding: {
    group: 'Training',
    help: 'When fine-tuning an existing model, keep its word vectors fixed and train only the layers above. Turn on when you have few new labels.',
  },
};
