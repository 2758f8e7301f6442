//! An entry of the target prompt's list: the value sent and the label shown.
export interface Choice {
  value: string;
  label: string;
}
