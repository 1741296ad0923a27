// The record's fact of the model a run trained from (fine-tuning, entities): its name and type, path and hash.
import { Text } from '@mantine/core';
import { Fact } from '../ui/Fact';

export function ModelFact(props: { label: string; model: { name: string; modelType: string; path: string; hash: string } }) {
  const { model } = props;
  return (
    <Fact breakAll label={props.label}>
      {model.name} ({model.modelType})
      <Text size="xs" c="dimmed">
        {model.path}
      </Text>
      <Text size="xs" ff="monospace">
        {model.hash}
      </Text>
    </Fact>
  );
}
