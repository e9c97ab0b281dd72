// Types of register-gradients.node.js (generated): a side-effect module, it exports nothing.
export {};
