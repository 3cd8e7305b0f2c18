/**
 * The training form's words for what the shared hyperparameter schema says: each field's help,
 * the values it allows and its problems. The help comes straight from `fieldText` (the CLI's
 * help too), so English cannot drift from it; the problem templates word exactly what the CLI
 * prints (a unit test holds them to `HyperparameterIssue.message`).
 */
import { fieldText } from '@common/hyperparameterHelp';

type FieldName = keyof typeof fieldText;

const help = Object.fromEntries(Object.entries(fieldText).map(([name, text]) => [`train.field.${name}.help`, text.help])) as {
  [N in FieldName as `train.field.${N}.help`]: string;
};

export const fields = {
  ...help,
  'train.allowed.boolean': 'true or false',
  'train.allowed.range': '{min}–{max}',
  'train.allowed.moreThan': 'more than {min}, up to {max}',
  'train.allowed.separator': ', ',
  'train.value.on': 'true',
  'train.value.off': 'false',
  'train.value.text': "'{text}'",
  'train.issue.notBoolean': 'expected true or false, got {value}',
  'train.issue.notOption': '{value} is not one of {allowed}',
  'train.issue.notWholeNumber': 'expected a whole number (allowed {allowed}), got {value}',
  'train.issue.notNumber': 'expected a number (allowed {allowed}), got {value}',
  'train.issue.belowMinimum': '{value} is below the minimum {min} (allowed {allowed})',
  'train.issue.notMoreThan': '{value} is too small: it must be more than {min} (allowed {allowed})',
  'train.issue.aboveMaximum': '{value} is above the maximum {max} (allowed {allowed})',
  'train.issue.notWhole': '{value} is not a whole number (allowed {allowed})',
  'train.issue.momentumNeedsSgd': 'momentum applies only to the sgd optimizer, and the optimizer is {optimizer}; choose the sgd optimizer or set momentum to 0',
  'train.issue.unknownName': 'not a hyperparameter; did you mean {suggestion}?',
  'train.issue.unknownNameList': 'not a hyperparameter; the hyperparameters are {names}',
  'train.issue.unknownPreset': '{value} is not a preset; choose {presets}',
} as const;
