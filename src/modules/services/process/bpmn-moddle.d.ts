// bpmn-moddle ships no types; this is the little of it the definition checker uses.
declare module 'bpmn-moddle' {
  export type ModdleElement = { $type: string; $attrs?: Record<string, string>; id?: string; [property: string]: unknown };
  export type ParseResult = {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
    warnings: { message: string }[];
  };
  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
