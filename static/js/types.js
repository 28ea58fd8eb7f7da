// The shapes the page exchanges with the server, as JSDoc types for `tsc --checkJs` (this module has no code).
// Each mirrors one Python definition: the config (nncore/config.py, docs/config.md), the frame (nncore/frames.py and
// the binary header of docs/protocol.md), the `data` message (docs/protocol.md) and the catalog (nncore/catalog.py).
// Modules refer to them as `import("./types.js").Config`.

/**
 * A config: one JSON-able dict, the same in the URL, `configure` and POST /api/train. The page may leave keys out
 * (a change that implies them lets the server's normalisation fill them); the server's `data` message carries the
 * normalized config with every key.
 * @typedef {object} Config
 * @property {DataSection} data
 * @property {string[]} features
 * @property {NetworkSection} network
 * @property {TrainingSection} training
 * @property {ViewSection} [view]
 * @property {number} [seed]
 */

/**
 * A named dataset with its parameters, or the user's points with labels.
 * @typedef {object} DataSection
 * @property {string} [dataset]
 * @property {number[][]} [points]
 * @property {number[]} [labels]
 * @property {number} [test_fraction]
 * @property {"classification" | "regression"} [task]
 * @property {Extent | null} [extent]
 * @property {number} [seed]
 * @property {number} [n]
 * @property {number} [noise]
 * @property {boolean} [bipolar]
 */

/**
 * @typedef {object} NetworkSection
 * @property {number[]} [hidden]
 * @property {string} [activation]
 * @property {string} [output_activation]
 * @property {string} [init]
 * @property {number} [dropout]
 * @property {boolean | boolean[]} [batch_norm]
 * @property {Weights | null} [weights]
 */

/**
 * The training section; an optimizer's own hyperparameters (beta1, alpha, …) sit beside these keys.
 * @typedef {{rule?: string, loss?: string, optimizer?: string, learning_rate?: number, batch_size?: number,
 *   shuffle?: boolean, epochs?: number, l1?: number, l2?: number, patience?: number, momentum?: number,
 *   nesterov?: boolean, [hyper: string]: any}} TrainingSection
 */

/**
 * @typedef {object} ViewSection
 * @property {number} [grid]
 * @property {number} [neuron_grid]
 * @property {boolean} [discretize]
 * @property {boolean} [show_test]
 * @property {boolean} [show_neurons]
 * @property {boolean} [log_scale]
 */

/** [x_min, x_max, y_min, y_max] of the plane. @typedef {number[]} Extent */

/** One {W: (n_in × n_out), b: (n_out)} per dense layer. @typedef {{W: number[][], b: number[]}[]} Weights */

/**
 * The server's `data` message: the points as split, the plane, the task and the normalized config.
 * @typedef {object} DataMessage
 * @property {string} [type]
 * @property {{points: number[][], labels: number[]}} train
 * @property {{points: number[][], labels: number[]}} test
 * @property {Extent} extent
 * @property {"classification" | "regression"} task
 * @property {number | null} classes
 * @property {Config} config
 */

/**
 * A decoded frame (socket.js `decodeFrame`): the header of docs/protocol.md plus the grids as uint8 blocks.
 * @typedef {object} Frame
 * @property {number} epoch
 * @property {number} step
 * @property {boolean} [done]
 * @property {Metrics | null} [metrics]
 * @property {Weights | null} [weights]
 * @property {ClassicUpdate | null} [update]
 * @property {Grid | null} grid
 */

/**
 * @typedef {object} Metrics
 * @property {number | null} [train_loss]
 * @property {number | null} [test_loss]
 * @property {number | null} [train_accuracy]
 * @property {number | null} [test_accuracy]
 * @property {number | null} [mistakes]
 */

/**
 * The last classic-rule update (nncore/rules.py): sample, target, net input a, output z, the change.
 * @typedef {object} ClassicUpdate
 * @property {string} [rule]
 * @property {number} [index]
 * @property {number[]} x
 * @property {number} t
 * @property {number} a
 * @property {number} z
 * @property {number | null} [error]
 * @property {number[] | number[][]} dW
 * @property {number} [db]
 * @property {number} learning_rate
 * @property {boolean} [mistake]
 */

/** G Float32Array rows; row i is y_i (rising), column j is x_j (socket.js `dequantize`). @typedef {Float32Array[]} Rows */

/**
 * One quantized grid block as it came over the wire: row-major uint8 values, byte q meaning
 * range[0] + q/255 · (range[1] − range[0]); in a plane, byte i·cols + j is the value at (xs[j], ys[i]).
 * @typedef {{bytes: Uint8Array, shape: number[], range: number[]}} Block
 */

/**
 * A frame's grids, as uint8 blocks. `output` is the output block, shape [G, G], or [k, G, G] for a per-class
 * (softmax) output, whose plane count `classes` then is (null for one plane); `layers[l]` is hidden layer l's
 * block, shape [units, g, g]. Coordinates: xs = linspace(x_min, x_max, G), ys likewise (docs/architecture.md).
 * @typedef {object} Grid
 * @property {number} size
 * @property {Extent} extent
 * @property {Block | null} output
 * @property {number | null} classes
 * @property {number | null} [neuronSize]
 * @property {Block[]} [layers]
 */

/**
 * A parameter description (nncore/params.py `Param.describe`).
 * @typedef {object} ParamSpec
 * @property {"float" | "int" | "bool" | "choice"} kind
 * @property {any} default
 * @property {string} [doc]
 * @property {number} [min]
 * @property {number} [max]
 * @property {boolean} [above_min]
 * @property {string[]} [choices]
 * @property {string} [nullable] null is allowed too, and means this ("until paused: …")
 * @property {string} [allowed] what is allowed, in the words every error about it uses
 */

/**
 * How one output unit is read (nncore/catalog.py `_binary`): class 1 where the output exceeds `threshold`, the
 * midpoint of the target `levels`, i.e. where the net input exceeds `cut` (null: at every net input).
 * @typedef {{levels: number[], threshold: number, cut: number | null}} BinaryReading
 */

/**
 * GET /api/catalog (nncore/catalog.py): every registry by name, the config fields, limits, defaults and the
 * facts the page reads besides them (`plane`, `outputs`, `rule_targets`, `gates`, `live`).
 * @typedef {object} RawCatalog
 * @property {Object<string, {formula: string, derivative: string, range: (number | null)[], hidden: boolean,
 *   output: boolean, same_as?: string}>} activations
 * @property {Object<string, {formula: string, derivative: string, requires_output: string | null}>} losses
 * @property {Object<string, {description: string, equation: string, default_lr: number,
 *   hyper: Object<string, ParamSpec>}>} optimizers
 * @property {Object<string, {title: string, equation: string, online: boolean, targets: string,
 *   output_activation: string | null, supervised: boolean, stops_when_error_free: boolean, doc: string}>} rules
 * @property {Object<string, {task: "classification" | "regression", classes: number | string | null,
 *   params: Object<string, ParamSpec>, extent: Extent, description: string, noise: string,
 *   balanced: boolean}>} datasets
 * @property {Object<string, string>} features
 * @property {Object<string, {formula: string, same_as?: string}>} initializers
 * @property {Object<string, any>} fields
 * @property {Object<string, number>} limits
 * @property {Config} defaults
 * @property {{extent: Extent, axes: string[]}} plane
 * @property {Object<string, {per_class: boolean, identity: boolean,
 *   binary?: Object<string, BinaryReading>}>} outputs
 * @property {Object<string, BinaryReading>} rule_targets
 * @property {{datasets: string[], corners: number[][], bipolar_corners: number[][],
 *   truth: Object<string, number[]>}} gates
 * @property {string[]} live
 * @property {object} [server]
 */

export {};
