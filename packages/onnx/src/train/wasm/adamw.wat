;; AdamW's element update over f32x4 lanes (the source of adamw-wasm.ts; regenerate with
;; `pnpm --filter @albertjs/onnx build:wasm`, checked by test/adamw-wasm.test.ts).
;; torch.optim.AdamW's arithmetic, in float32 as torch's kernel computes it:
;;   g ← (g / divideBy) · scale;  m ← β1·m + (1−β1)·g;  v ← β2·v + ((1−β2)·g)·g;
;;   p ← p·keep − (stepSize·m) / (√v · invSqrtBc2 + eps)
;; Memory: four chunks of 16384 f32 (64 KiB each) that the caller fills and reads back:
;; p at 0, g at 65536, m at 131072, v at 196608 (CHUNK and the offsets in adamw-simd.ts).
(module
  (memory (export "mem") 4)
  (func (export "adamw")
    (param $n i32) ;; elements, a multiple of 4
    (param $b1 f32) (param $b2 f32) (param $c1 f32) (param $c2 f32) ;; c1 = 1 − β1, c2 = 1 − β2
    (param $keep f32) (param $stepSize f32) (param $invSqrtBc2 f32) (param $eps f32)
    (param $divideBy f32) (param $scale f32)
    (local $i i32) (local $end i32)
    (local $B1 v128) (local $B2 v128) (local $C1 v128) (local $C2 v128) (local $KEEP v128)
    (local $STEP v128) (local $INV v128) (local $EPS v128) (local $DIV v128) (local $SCALE v128)
    (local $g v128) (local $m v128) (local $v v128)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $KEEP (f32x4.splat (local.get $keep)))
    (local.set $STEP (f32x4.splat (local.get $stepSize)))
    (local.set $INV (f32x4.splat (local.get $invSqrtBc2)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $DIV (f32x4.splat (local.get $divideBy)))
    (local.set $SCALE (f32x4.splat (local.get $scale)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2))) ;; bytes
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; g = (g / divideBy) · scale
        (local.set $g
          (f32x4.mul (f32x4.div (v128.load offset=65536 (local.get $i)) (local.get $DIV)) (local.get $SCALE)))
        ;; m' = β1·m + (1−β1)·g
        (local.set $m
          (f32x4.add
            (f32x4.mul (v128.load offset=131072 (local.get $i)) (local.get $B1))
            (f32x4.mul (local.get $C1) (local.get $g))))
        ;; v' = β2·v + ((1−β2)·g)·g
        (local.set $v
          (f32x4.add
            (f32x4.mul (v128.load offset=196608 (local.get $i)) (local.get $B2))
            (f32x4.mul (f32x4.mul (local.get $C2) (local.get $g)) (local.get $g))))
        (v128.store offset=131072 (local.get $i) (local.get $m))
        (v128.store offset=196608 (local.get $i) (local.get $v))
        ;; p' = p·keep − (stepSize·m') / (√v' · invSqrtBc2 + eps)
        (v128.store (local.get $i)
          (f32x4.sub
            (f32x4.mul (v128.load (local.get $i)) (local.get $KEEP))
            (f32x4.div
              (f32x4.mul (local.get $STEP) (local.get $m))
              (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $v)) (local.get $INV)) (local.get $EPS)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))))
