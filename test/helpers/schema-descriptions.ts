import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from "graphql";

export interface DescribedElement {
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`. */
  coordinate: string;
  described: boolean;
}

const described = (description: string | null | undefined): boolean =>
  typeof description === "string" && description.trim().length > 0;

/**
 * Every element a client developer reads in the schema: the types we define (objects, interfaces,
 * inputs, enums, scalars, the root types), their fields and arguments, input fields and enum values.
 * graphql-js's own types (built-in scalars, introspection) are not ours to describe.
 */
export function schemaElements(schema: GraphQLSchema): DescribedElement[] {
  const elements: DescribedElement[] = [];
  const add = (coordinate: string, description: string | null | undefined) =>
    elements.push({ coordinate, described: described(description) });
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    add(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        add(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) {
          add(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        add(`${type.name}.${field.name}`, field.description);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) add(`${type.name}.${value.name}`, value.description);
    }
  }
  return elements.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}
