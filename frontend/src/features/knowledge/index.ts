// What other features may use from the knowledge base.
export { CreateKnowledgeFromMatchButton } from "./CreateKnowledgeFromMatchButton";
export { RelatedKnowledge } from "./RelatedKnowledge";
