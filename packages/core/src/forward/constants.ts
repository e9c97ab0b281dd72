/**
 * torch.finfo(torch.float32).min: the additive score of a masked key in eager attention
 * (masking_utils.eager_mask: `torch.where(mask, 0.0, min_dtype)`).
 * https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/masking_utils.py#L602-L604
 */
export const FLOAT32_MIN = -3.4028234663852886e38;
