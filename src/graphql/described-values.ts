/**
 * type-graphql's `valuesConfig` from one description per enum value: a `Record` over the enum (so a
 * value added to the enum does not compile until it is described) or a function of the value.
 */
export function describedValues<TEnum extends Record<string, string>>(
  enumObject: TEnum,
  descriptions: Record<TEnum[keyof TEnum], string> | ((value: TEnum[keyof TEnum]) => string),
): Record<string, { description: string }> {
  const describe =
    typeof descriptions === "function"
      ? descriptions
      : (value: TEnum[keyof TEnum]) => descriptions[value];
  return Object.fromEntries(
    Object.entries(enumObject).map(([key, value]) => [
      key,
      { description: describe(value as TEnum[keyof TEnum]) },
    ]),
  );
}
