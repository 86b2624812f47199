// TTGIR of the flash-attention forward of benchmarks/kernels/attention.py
// (fp16, head dim 64, BLOCK_M 128, BLOCK_N 64, 8 warps, non-causal) for cuda:90,
// captured with MLIR_ENABLE_DUMP=1 right before tritongpu-assign-latencies.
#blocked = #ttg.blocked<{sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [8, 1], order = [1, 0]}>
#blocked1 = #ttg.blocked<{sizePerThread = [8, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 8], order = [0, 1]}>
#mma = #ttg.nvidia_mma<{versionMajor = 3, versionMinor = 0, warpsPerCTA = [8, 1], instrShape = [16, 64, 16]}>
#shared = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = false, elementBitWidth = 16}>
#shared1 = #ttg.nvmma_shared<{swizzlingByteWidth = 128, transposed = true, elementBitWidth = 16}>
#smem = #ttg.shared_memory
module attributes {"ttg.num-ctas" = 1 : i32, "ttg.num-warps" = 8 : i32, ttg.target = "cuda:90", "ttg.threads-per-warp" = 32 : i32, "ttng.two-ctas" = false} {
  tt.func public @attn_fwd_kernel(%arg0: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg1: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg2: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg3: !tt.ptr<f16> {tt.divisibility = 16 : i32}, %arg4: i32 {tt.divisibility = 16 : i32}, %arg5: i32 {tt.divisibility = 16 : i32}, %arg6: i32 {tt.divisibility = 16 : i32}, %arg7: i32 {tt.divisibility = 16 : i32}, %arg8: i32 {tt.divisibility = 16 : i32}, %arg9: i32 {tt.divisibility = 16 : i32}, %arg10: i32 {tt.divisibility = 16 : i32}, %arg11: i32 {tt.divisibility = 16 : i32}, %arg12: i32 {tt.divisibility = 16 : i32}, %arg13: i32 {tt.divisibility = 16 : i32}, %arg14: i32 {tt.divisibility = 16 : i32}, %arg15: i32 {tt.divisibility = 16 : i32}, %arg16: i32, %arg17: i32 {tt.divisibility = 16 : i32}, %arg18: f32) attributes {noinline = false} {
    %c128_i32 = arith.constant 128 : i32
    %c0_i32 = arith.constant 0 : i32
    %c64_i32 = arith.constant 64 : i32
    %cst = arith.constant dense<0.000000e+00> : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
    %cst_0 = arith.constant dense<0.000000e+00> : tensor<128x64xf32, #mma>
    %cst_1 = arith.constant dense<0xFF800000> : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
    %0 = tt.get_program_id x : i32
    %1 = tt.get_program_id y : i32
    %2 = arith.divsi %1, %arg16 : i32
    %3 = arith.extsi %2 : i32 to i64
    %4 = arith.remsi %1, %arg16 : i32
    %5 = arith.extsi %4 : i32 to i64
    %6 = arith.muli %0, %c128_i32 : i32
    %7 = tt.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %8 = tt.splat %6 : i32 -> tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %9 = arith.addi %8, %7 : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %10 = arith.extsi %arg4 : i32 to i64
    %11 = arith.muli %3, %10 : i64
    %12 = arith.extsi %arg5 : i32 to i64
    %13 = arith.muli %5, %12 : i64
    %14 = arith.addi %11, %13 : i64
    %15 = tt.addptr %arg0, %14 : !tt.ptr<f16>, i64
    %16 = tt.expand_dims %9 {axis = 1 : i32} : tensor<128xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<128x1xi32, #blocked>
    %17 = tt.splat %arg6 : i32 -> tensor<128x1xi32, #blocked>
    %18 = arith.muli %16, %17 : tensor<128x1xi32, #blocked>
    %19 = tt.splat %15 : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked>
    %20 = tt.addptr %19, %18 : tensor<128x1x!tt.ptr<f16>, #blocked>, tensor<128x1xi32, #blocked>
    %21 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>>
    %22 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked1}>>
    %23 = tt.expand_dims %21 {axis = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked}>> -> tensor<1x64xi32, #blocked>
    %24 = tt.expand_dims %22 {axis = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 0, parent = #blocked1}>> -> tensor<1x64xi32, #blocked1>
    %25 = tt.broadcast %20 : tensor<128x1x!tt.ptr<f16>, #blocked> -> tensor<128x64x!tt.ptr<f16>, #blocked>
    %26 = tt.broadcast %23 : tensor<1x64xi32, #blocked> -> tensor<128x64xi32, #blocked>
    %27 = tt.addptr %25, %26 : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %28 = arith.extsi %arg7 : i32 to i64
    %29 = arith.muli %3, %28 : i64
    %30 = arith.extsi %arg8 : i32 to i64
    %31 = arith.muli %5, %30 : i64
    %32 = arith.addi %29, %31 : i64
    %33 = tt.addptr %arg1, %32 : !tt.ptr<f16>, i64
    %34 = tt.splat %arg9 : i32 -> tensor<1x64xi32, #blocked1>
    %35 = arith.muli %24, %34 : tensor<1x64xi32, #blocked1>
    %36 = tt.splat %33 : !tt.ptr<f16> -> tensor<1x64x!tt.ptr<f16>, #blocked1>
    %37 = tt.addptr %36, %35 : tensor<1x64x!tt.ptr<f16>, #blocked1>, tensor<1x64xi32, #blocked1>
    %38 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked1}>>
    %39 = tt.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>>
    %40 = tt.expand_dims %38 {axis = 1 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked1}>> -> tensor<64x1xi32, #blocked1>
    %41 = tt.expand_dims %39 {axis = 1 : i32} : tensor<64xi32, #ttg.slice<{dim = 1, parent = #blocked}>> -> tensor<64x1xi32, #blocked>
    %42 = tt.broadcast %37 : tensor<1x64x!tt.ptr<f16>, #blocked1> -> tensor<64x64x!tt.ptr<f16>, #blocked1>
    %43 = tt.broadcast %40 : tensor<64x1xi32, #blocked1> -> tensor<64x64xi32, #blocked1>
    %44 = tt.addptr %42, %43 : tensor<64x64x!tt.ptr<f16>, #blocked1>, tensor<64x64xi32, #blocked1>
    %45 = arith.extsi %arg10 : i32 to i64
    %46 = arith.muli %3, %45 : i64
    %47 = arith.extsi %arg11 : i32 to i64
    %48 = arith.muli %5, %47 : i64
    %49 = arith.addi %46, %48 : i64
    %50 = tt.addptr %arg2, %49 : !tt.ptr<f16>, i64
    %51 = tt.splat %arg12 : i32 -> tensor<64x1xi32, #blocked>
    %52 = arith.muli %41, %51 : tensor<64x1xi32, #blocked>
    %53 = tt.splat %50 : !tt.ptr<f16> -> tensor<64x1x!tt.ptr<f16>, #blocked>
    %54 = tt.addptr %53, %52 : tensor<64x1x!tt.ptr<f16>, #blocked>, tensor<64x1xi32, #blocked>
    %55 = tt.broadcast %54 : tensor<64x1x!tt.ptr<f16>, #blocked> -> tensor<64x64x!tt.ptr<f16>, #blocked>
    %56 = tt.broadcast %23 : tensor<1x64xi32, #blocked> -> tensor<64x64xi32, #blocked>
    %57 = tt.addptr %55, %56 : tensor<64x64x!tt.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
    %58 = tt.load %27 : tensor<128x64x!tt.ptr<f16>, #blocked>
    %59 = ttg.local_alloc %58 : (tensor<128x64xf16, #blocked>) -> !ttg.memdesc<128x64xf16, #shared, #smem>
    %60 = tt.splat %arg18 : f32 -> tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
    %61 = tt.splat %arg18 : f32 -> tensor<128x64xf32, #mma>
    %62 = arith.muli %arg9, %c64_i32 : i32
    %63 = tt.splat %62 : i32 -> tensor<64x64xi32, #blocked1>
    %64 = arith.muli %arg12, %c64_i32 : i32
    %65 = tt.splat %64 : i32 -> tensor<64x64xi32, #blocked>
    %66:5 = scf.for %arg19 = %c0_i32 to %arg17 step %c64_i32 iter_args(%arg20 = %cst_0, %arg21 = %cst, %arg22 = %cst_1, %arg23 = %44, %arg24 = %57) -> (tensor<128x64xf32, #mma>, tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>, tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>, tensor<64x64x!tt.ptr<f16>, #blocked1>, tensor<64x64x!tt.ptr<f16>, #blocked>)  : i32 {
      %84 = tt.load %arg23 : tensor<64x64x!tt.ptr<f16>, #blocked1>
      %85 = ttg.local_alloc %84 : (tensor<64x64xf16, #blocked1>) -> !ttg.memdesc<64x64xf16, #shared1, #smem>
      %86 = ttng.warp_group_dot %59, %85, %cst_0 {inputPrecision = 0 : i32} : !ttg.memdesc<128x64xf16, #shared, #smem> * !ttg.memdesc<64x64xf16, #shared1, #smem> -> tensor<128x64xf32, #mma>
      %87 = "tt.reduce"(%86) <{axis = 1 : i32}> ({
      ^bb0(%arg25: f32, %arg26: f32):
        %110 = arith.maxnumf %arg25, %arg26 : f32
        tt.reduce.return %110 : f32
      }) : (tensor<128x64xf32, #mma>) -> tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %88 = arith.mulf %87, %60 : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %89 = arith.maxnumf %arg22, %88 : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %90 = arith.mulf %86, %61 : tensor<128x64xf32, #mma>
      %91 = tt.expand_dims %89 {axis = 1 : i32} : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>> -> tensor<128x1xf32, #mma>
      %92 = tt.broadcast %91 : tensor<128x1xf32, #mma> -> tensor<128x64xf32, #mma>
      %93 = arith.subf %90, %92 : tensor<128x64xf32, #mma>
      %94 = math.exp2 %93 : tensor<128x64xf32, #mma>
      %95 = arith.subf %arg22, %89 : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %96 = math.exp2 %95 : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %97 = arith.mulf %arg21, %96 : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %98 = "tt.reduce"(%94) <{axis = 1 : i32}> ({
      ^bb0(%arg25: f32, %arg26: f32):
        %110 = arith.addf %arg25, %arg26 : f32
        tt.reduce.return %110 : f32
      }) : (tensor<128x64xf32, #mma>) -> tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %99 = arith.addf %97, %98 : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>
      %100 = tt.expand_dims %96 {axis = 1 : i32} : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>> -> tensor<128x1xf32, #mma>
      %101 = tt.broadcast %100 : tensor<128x1xf32, #mma> -> tensor<128x64xf32, #mma>
      %102 = arith.mulf %arg20, %101 : tensor<128x64xf32, #mma>
      %103 = tt.load %arg24 : tensor<64x64x!tt.ptr<f16>, #blocked>
      %104 = ttg.local_alloc %103 : (tensor<64x64xf16, #blocked>) -> !ttg.memdesc<64x64xf16, #shared, #smem>
      %105 = arith.truncf %94 : tensor<128x64xf32, #mma> to tensor<128x64xf16, #mma>
      %106 = ttg.convert_layout %105 : tensor<128x64xf16, #mma> -> tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>>
      %107 = ttng.warp_group_dot %106, %104, %102 {inputPrecision = 0 : i32} : tensor<128x64xf16, #ttg.dot_op<{opIdx = 0, parent = #mma, kWidth = 2}>> * !ttg.memdesc<64x64xf16, #shared, #smem> -> tensor<128x64xf32, #mma>
      %108 = tt.addptr %arg23, %63 : tensor<64x64x!tt.ptr<f16>, #blocked1>, tensor<64x64xi32, #blocked1>
      %109 = tt.addptr %arg24, %65 : tensor<64x64x!tt.ptr<f16>, #blocked>, tensor<64x64xi32, #blocked>
      scf.yield %107, %99, %89, %108, %109 : tensor<128x64xf32, #mma>, tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>, tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>>, tensor<64x64x!tt.ptr<f16>, #blocked1>, tensor<64x64x!tt.ptr<f16>, #blocked>
    }
    %67 = tt.expand_dims %66#1 {axis = 1 : i32} : tensor<128xf32, #ttg.slice<{dim = 1, parent = #mma}>> -> tensor<128x1xf32, #mma>
    %68 = tt.broadcast %67 : tensor<128x1xf32, #mma> -> tensor<128x64xf32, #mma>
    %69 = arith.divf %66#0, %68 : tensor<128x64xf32, #mma>
    %70 = arith.truncf %69 : tensor<128x64xf32, #mma> to tensor<128x64xf16, #mma>
    %71 = arith.extsi %arg13 : i32 to i64
    %72 = arith.muli %3, %71 : i64
    %73 = arith.extsi %arg14 : i32 to i64
    %74 = arith.muli %5, %73 : i64
    %75 = arith.addi %72, %74 : i64
    %76 = tt.addptr %arg3, %75 : !tt.ptr<f16>, i64
    %77 = tt.splat %arg15 : i32 -> tensor<128x1xi32, #blocked>
    %78 = arith.muli %16, %77 : tensor<128x1xi32, #blocked>
    %79 = tt.splat %76 : !tt.ptr<f16> -> tensor<128x1x!tt.ptr<f16>, #blocked>
    %80 = tt.addptr %79, %78 : tensor<128x1x!tt.ptr<f16>, #blocked>, tensor<128x1xi32, #blocked>
    %81 = tt.broadcast %80 : tensor<128x1x!tt.ptr<f16>, #blocked> -> tensor<128x64x!tt.ptr<f16>, #blocked>
    %82 = tt.addptr %81, %26 : tensor<128x64x!tt.ptr<f16>, #blocked>, tensor<128x64xi32, #blocked>
    %83 = ttg.convert_layout %70 : tensor<128x64xf16, #mma> -> tensor<128x64xf16, #blocked>
    tt.store %82, %83 : tensor<128x64x!tt.ptr<f16>, #blocked>
    tt.return
  }
}

